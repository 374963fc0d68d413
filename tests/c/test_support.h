/*
 * Shared by the C tests: check macros, the last-error message, and a minimal HTTP
 * client for the emulator's control API (independent of zoomlive).
 */
#ifndef ZOOMLIVE_TEST_SUPPORT_H
#define ZOOMLIVE_TEST_SUPPORT_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zoomlive.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
#define SEED_SETTINGS "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}"
static char base_url[256], oauth_url[256];
static int emu_port;
static int passed, failed;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        if (cond) {                                                       \
            passed++;                                                     \
        } else {                                                          \
            failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                 \
            fprintf(stderr, "\n");                                        \
        }                                                                 \
    } while (0)

#define CHECK_STATUS(expr, want)                                               \
    do {                                                                       \
        zoomlive_status got_ = (expr);                                         \
        CHECK(got_ == (want), "got %d (%s), want %d; last error: %s", got_,    \
              zoomlive_status_str(got_), (int)(want), last_message());         \
    } while (0)

/* The last error message, via the documented two-step buffer protocol. */
static inline const char *last_message(void) {
    static char buf[4096];
    size_t needed = 0;
    if (zoomlive_last_error_message(buf, sizeof buf, &needed) != ZOOMLIVE_STATUS_OK) {
        snprintf(buf, sizeof buf, "(message needs %zu bytes)", needed);
    }
    return buf;
}

/* A minimal HTTP exchange with the emulator's control API (independent of zoomlive). */
static inline char *control(const char *method, const char *path, const char *body) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)emu_port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("control connect");
        exit(2);
    }
    char head[512];
    size_t blen = body ? strlen(body) : 0;
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                     method, path, blen);
    if (write(fd, head, (size_t)n) != n || (blen && write(fd, body, blen) != (ssize_t)blen)) {
        perror("control write");
        exit(2);
    }
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    ssize_t r;
    while (out && (r = read(fd, out + len, cap - len - 1)) > 0) {
        len += (size_t)r;
        if (len + 1 == cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger) break;
            out = bigger;
        }
    }
    close(fd);
    if (!out) exit(2);
    out[len] = 0;
    return out;
}

static inline void push_fault(const char *json) { free(control("POST", "/_emulator/faults", json)); }

/* How many requests the emulator has recorded (counts "\"seq\":" occurrences). */
static inline int request_count(void) {
    char *all = control("GET", "/_emulator/requests", NULL);
    int count = 0;
    for (char *p = all; (p = strstr(p, "\"seq\":")) != NULL; p++) count++;
    free(all);
    return count;
}

static inline int log_contains(const char *needle) {
    char *all = control("GET", "/_emulator/requests", NULL);
    int found = strstr(all, needle) != NULL;
    free(all);
    return found;
}


/* Counts occurrences of `needle` in the emulator's request log. */
static inline int log_count(const char *needle) {
    char *all = control("GET", "/_emulator/requests", NULL);
    int count = 0;
    for (char *p = all; (p = strstr(p, needle)) != NULL; p++) count++;
    free(all);
    return count;
}

static inline zoomlive_client *new_client(const char *token) {
    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new(token, &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base_url), ZOOMLIVE_STATUS_OK);
    return c;
}

/* Reads the emulator URL from argv and fills base_url/oauth_url/emu_port. */
static inline int parse_url_arg(int argc, char **argv) {
    if (argc < 2 || sscanf(argv[1], "http://127.0.0.1:%d", &emu_port) != 1) {
        fprintf(stderr, "usage: %s http://127.0.0.1:PORT [args]\n", argv[0]);
        return 0;
    }
    snprintf(base_url, sizeof base_url, "%s/v2", argv[1]);
    snprintf(oauth_url, sizeof oauth_url, "%s/oauth/token", argv[1]);
    return 1;
}
#endif
