/* The C client of `make bench`: N calls through include/zoomlive.h and libzoomlive.so,
 * timed one by one. Prints {"n", "threads", "wall_ns", "lat_ns": [...]} like the others.
 *
 *   bench_capi BASE_URL WORKLOAD N WARMUP
 *
 * WORKLOAD: status-multipart | status-json | update-multipart. */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zoomlive.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
#define MEETING "68423085"
#define SETTINGS "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}"
#define STREAM_URL "rtmp://a.rtmp.youtube.com/live2"
#define STREAM_KEY "auteofficia"
#define PAGE_URL "https://example.com/live"

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int update_call;

static zoomlive_status call(zoomlive_client *c) {
    if (update_call) {
        return zoomlive_meeting_livestream_update(c, MEETING, STREAM_URL, STREAM_KEY, PAGE_URL,
                                                  NULL);
    }
    return zoomlive_meeting_livestream_status(c, MEETING, "start", SETTINGS);
}

static void check(zoomlive_status s, const char *what) {
    if (s != ZOOMLIVE_STATUS_OK) {
        char msg[512];
        size_t needed = 0;
        zoomlive_last_error_message(msg, sizeof msg, &needed);
        fprintf(stderr, "bench_capi: %s failed: %s: %s\n", what, zoomlive_status_str(s), msg);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench_capi BASE_URL WORKLOAD N WARMUP\n");
        return 2;
    }
    const char *base_url = argv[1];
    const char *workload = argv[2];
    long n = atol(argv[3]);
    long warmup = atol(argv[4]);
    update_call = strcmp(workload, "update-multipart") == 0;

    zoomlive_client *c = NULL;
    check(zoomlive_client_new(TOKEN, &c), "zoomlive_client_new");
    check(zoomlive_client_set_base_url(c, base_url), "set_base_url");
    if (strcmp(workload, "status-json") == 0) {
        check(zoomlive_client_set_encoding(c, "json"), "set_encoding");
    }
    for (long i = 0; i < warmup; i++) {
        check(call(c), "warm-up call");
    }
    long long *lat = malloc(sizeof *lat * (size_t)(n > 0 ? n : 1));
    if (lat == NULL) {
        return 1;
    }
    long long start = now_ns();
    for (long i = 0; i < n; i++) {
        long long t = now_ns();
        check(call(c), "call");
        lat[i] = now_ns() - t;
    }
    long long wall = now_ns() - start;
    zoomlive_client_free(c);

    printf("{\"n\":%ld,\"threads\":1,\"wall_ns\":%lld,\"lat_ns\":[", n, wall);
    for (long i = 0; i < n; i++) {
        printf(i ? ",%lld" : "%lld", lat[i]);
    }
    printf("]}\n");
    free(lat);
    return 0;
}
