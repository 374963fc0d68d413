/*
 * The Windows host test: what Visual FoxPro's `DECLARE ... IN zoomlive.dll` does, in C.
 *
 * Built with MinGW for i686 (32-bit, the FoxPro/Delphi DLL) and x86_64, run under Wine
 * against the emulator on Linux by scripts/windows/test.sh:
 *
 *   host.exe DLL EMULATOR_URL HEADER            the full suite
 *   host.exe DLL EMULATOR_URL HEADER --smoke    a few calls (the dist zip test)
 *   host.exe DLL TLS_URL HEADER --tls CA.pem OTHER_CA.pem   TLS from inside Windows
 *
 * It includes no zoomlive header: it loads the DLL with LoadLibraryA, finds every
 * function with GetProcAddress under its plain name, and calls it through its own
 * __stdcall pointer types (on x86_64 there is one convention), with handles as integers,
 * as FoxPro does. HEADER is include/zoomlive.h: every function it declares must be
 * exported and covered by this file's table (EXPORTS below), so a function added to the
 * C API fails this test until it is tested here.
 *
 * Checked: every export, success and failure paths, the two-call buffer protocol, the
 * last-error getters per thread, the trace (zoomlive_last_trace, a __stdcall log
 * callback, zoomlive_doctor), the batch runner (zoomlive_batch_file on a FoxPro CSV,
 * zoomlive_last_batch_counts), the emulator's request log (through its control API,
 * over Winsock), and the stack pointer around many calls of every export (sp_call:
 * a stdcall/cdecl mismatch would move it).
 *
 * Prints "ok - ..." / "not ok - ..." lines and ends with
 * "windows-host-<arch>: N passed, M failed"; exits 1 when anything failed.
 */
#include <winsock2.h>
#include <windows.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN64
#define ARCH "x64"
#else
#define ARCH "x86"
#endif

#define API __stdcall
typedef intptr_t HZ; /* a client handle, as FoxPro's INTEGER */

typedef int32_t(API *p_client_new)(const char *, HZ *);
typedef int32_t(API *p_client_new_s2s)(const char *, const char *, const char *, HZ *);
typedef void(API *p_client_free)(HZ);
typedef int32_t(API *p_set_str)(HZ, const char *);
typedef int32_t(API *p_set_u32)(HZ, uint32_t);
typedef int32_t(API *p_void_status)(void);
typedef int32_t(API *p_void_i32)(void);
typedef int64_t(API *p_void_i64)(void);
typedef int32_t(API *p_copy_out)(char *, size_t, size_t *);
typedef int32_t(API *p_status)(HZ, const char *, const char *, const char *);
typedef int32_t(API *p_update)(HZ, const char *, const char *, const char *, const char *, const char *);
typedef int32_t(API *p_get)(HZ, const char *, char *, size_t, size_t *);
typedef const char *(API *p_status_str)(int32_t);
typedef const char *(API *p_version)(void);
typedef void(API *p_log_cb)(int32_t, const char *, void *);
typedef int32_t(API *p_set_log_callback)(p_log_cb, void *);
typedef int32_t(API *p_doctor)(HZ, char *, size_t, size_t *);
typedef int32_t(API *p_batch_file)(HZ, const char *, const char *, const char *);

/* Every export: its name and how many arguments it takes (for sp_call). */
static struct {
    const char *name;
    int nargs;
    FARPROC fn;
} EXPORTS[] = {
    {"zoomlive_client_new", 2, 0},
    {"zoomlive_client_new_s2s", 4, 0},
    {"zoomlive_client_free", 1, 0},
    {"zoomlive_client_set_base_url", 2, 0},
    {"zoomlive_client_set_oauth_url", 2, 0},
    {"zoomlive_client_set_encoding", 2, 0},
    {"zoomlive_client_set_timeout_ms", 2, 0},
    {"zoomlive_client_set_connect_timeout_ms", 2, 0},
    {"zoomlive_client_set_extra_ca_file", 2, 0},
    {"zoomlive_client_set_token_cache_dir", 2, 0},
    {"zoomlive_client_set_max_retries", 2, 0},
    {"zoomlive_last_status", 0, 0},
    {"zoomlive_last_http_status", 0, 0},
    {"zoomlive_last_zoom_code", 0, 0},
    {"zoomlive_last_retry_after_ms", 0, 0},
    {"zoomlive_last_error_message", 3, 0},
    {"zoomlive_last_error_field", 3, 0},
    {"zoomlive_last_tracking_id", 3, 0},
    {"zoomlive_last_missing_scopes", 3, 0},
    {"zoomlive_last_rate_limit", 3, 0},
    {"zoomlive_meeting_livestream_status", 4, 0},
    {"zoomlive_webinar_livestream_status", 4, 0},
    {"zoomlive_meeting_livestream_update", 6, 0},
    {"zoomlive_webinar_livestream_update", 6, 0},
    {"zoomlive_meeting_livestream_get", 5, 0},
    {"zoomlive_webinar_livestream_get", 5, 0},
    {"zoomlive_status_str", 1, 0},
    {"zoomlive_version", 0, 0},
    {"zoomlive_last_trace", 3, 0},
    {"zoomlive_set_log_callback", 2, 0},
    {"zoomlive_doctor", 4, 0},
    {"zoomlive_batch_file", 4, 0},
    {"zoomlive_last_batch_counts", 3, 0},
    {"zoomlive_client_set_proxy", 2, 0},
    {"zoomlive_client_set_no_proxy", 2, 0},
    {"zoomlive_client_set_system_proxy", 2, 0},
    {"zoomlive_client_set_proxy_credentials", 3, 0},
    {"zoomlive_client_set_proxy_auth", 2, 0},
    {"zoomlive_client_proxy_for", 5, 0},
};
#define N_EXPORTS ((int)(sizeof EXPORTS / sizeof EXPORTS[0]))

static FARPROC fn(const char *name) {
    for (int i = 0; i < N_EXPORTS; i++)
        if (strcmp(EXPORTS[i].name, name) == 0) return EXPORTS[i].fn;
    fprintf(stderr, "host.c: no entry %s in EXPORTS\n", name);
    exit(2);
}
#define F(type, name) ((type)(void *)fn(name))
#define client_new F(p_client_new, "zoomlive_client_new")
#define client_new_s2s F(p_client_new_s2s, "zoomlive_client_new_s2s")
#define client_free F(p_client_free, "zoomlive_client_free")
#define set_base_url F(p_set_str, "zoomlive_client_set_base_url")
#define set_oauth_url F(p_set_str, "zoomlive_client_set_oauth_url")
#define set_encoding F(p_set_str, "zoomlive_client_set_encoding")
#define set_timeout_ms F(p_set_u32, "zoomlive_client_set_timeout_ms")
#define set_connect_timeout_ms F(p_set_u32, "zoomlive_client_set_connect_timeout_ms")
#define set_extra_ca_file F(p_set_str, "zoomlive_client_set_extra_ca_file")
#define set_token_cache_dir F(p_set_str, "zoomlive_client_set_token_cache_dir")
#define set_max_retries F(p_set_u32, "zoomlive_client_set_max_retries")
#define last_status F(p_void_status, "zoomlive_last_status")
#define last_http_status F(p_void_i32, "zoomlive_last_http_status")
#define last_zoom_code F(p_void_i64, "zoomlive_last_zoom_code")
#define last_retry_after_ms F(p_void_i64, "zoomlive_last_retry_after_ms")
#define last_error_message F(p_copy_out, "zoomlive_last_error_message")
#define last_error_field F(p_copy_out, "zoomlive_last_error_field")
#define last_tracking_id F(p_copy_out, "zoomlive_last_tracking_id")
#define last_missing_scopes F(p_copy_out, "zoomlive_last_missing_scopes")
#define last_rate_limit F(p_copy_out, "zoomlive_last_rate_limit")
#define meeting_status F(p_status, "zoomlive_meeting_livestream_status")
#define webinar_status F(p_status, "zoomlive_webinar_livestream_status")
#define meeting_update F(p_update, "zoomlive_meeting_livestream_update")
#define webinar_update F(p_update, "zoomlive_webinar_livestream_update")
#define meeting_get F(p_get, "zoomlive_meeting_livestream_get")
#define webinar_get F(p_get, "zoomlive_webinar_livestream_get")
#define status_str F(p_status_str, "zoomlive_status_str")
#define version F(p_version, "zoomlive_version")
#define last_trace F(p_copy_out, "zoomlive_last_trace")
#define set_log_callback F(p_set_log_callback, "zoomlive_set_log_callback")
#define doctor F(p_doctor, "zoomlive_doctor")
#define batch_file F(p_batch_file, "zoomlive_batch_file")
#define last_batch_counts F(p_copy_out, "zoomlive_last_batch_counts")

enum {
    OK = 0, NULL_ARGUMENT, INVALID_ARGUMENT, INVALID_UTF8, TRANSPORT, TIMEOUT, AUTH,
    NOT_FOUND, RATE_LIMITED, API_ERROR, BUFFER_TOO_SMALL, PANIC,
    BATCH_FAILED = 13, BATCH_DEFERRED = 14
};

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
#define MEETING "68423085"
#define WEBINAR "91234567890"
#define SETTINGS "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}"

static int passed, failed;
#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        if (cond) {                                                                      \
            passed++;                                                                    \
        } else {                                                                         \
            failed++;                                                                    \
            printf("not ok - %s:%d: %s: ", __FILE__, __LINE__, #cond);                   \
            printf(__VA_ARGS__);                                                         \
            printf("\n");                                                                \
            fflush(stdout);                                                              \
        }                                                                                \
    } while (0)
#define CHECK_STATUS(call, want)                                                         \
    do {                                                                                 \
        int32_t got_ = (call);                                                           \
        CHECK(got_ == (want), "%s returned %d (%s), wanted %d", #call, (int)got_,        \
              status_str(got_), (int)(want));                                            \
    } while (0)
static void ok(const char *what) {
    printf("ok - %s\n", what);
    fflush(stdout);
}

/* --- the stack-pointer check ----------------------------------------------------------
 * sp_call(fn, n, args, &delta) pushes n arguments (x86: right to left; x64: rcx, rdx,
 * r8, r9 and the stack, with its 32-byte shadow space), calls fn, and stores how far
 * the stack pointer moved across the call: 0 when the callee's convention is the one
 * the caller assumed (x86: the callee pops its arguments, stdcall). */
#ifdef _WIN64
__asm__(".text\n"
        ".globl sp_call\n"
        "sp_call:\n"
        "  pushq %rbp\n"
        "  movq %rsp, %rbp\n"
        "  pushq %rbx\n"
        "  pushq %rsi\n"
        "  pushq %rdi\n"
        "  pushq %r12\n"
        "  movq %rcx, %rbx\n"
        "  movq %r8, %rsi\n"
        "  movq %r9, %r12\n"
        "  subq $64, %rsp\n"
        "  movq %rsp, %rdi\n"
        "  movq 32(%rsi), %rax\n"
        "  movq %rax, 32(%rsp)\n"
        "  movq 40(%rsi), %rax\n"
        "  movq %rax, 40(%rsp)\n"
        "  movq (%rsi), %rcx\n"
        "  movq 8(%rsi), %rdx\n"
        "  movq 16(%rsi), %r8\n"
        "  movq 24(%rsi), %r9\n"
        "  call *%rbx\n"
        "  movq %rsp, %rcx\n"
        "  subq %rdi, %rcx\n"
        "  movq %rcx, (%r12)\n"
        "  leaq -32(%rbp), %rsp\n"
        "  popq %r12\n"
        "  popq %rdi\n"
        "  popq %rsi\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  ret\n");
#else
__asm__(".text\n"
        ".globl _sp_call\n"
        "_sp_call:\n"
        "  pushl %ebp\n"
        "  movl %esp, %ebp\n"
        "  pushl %ebx\n"
        "  pushl %esi\n"
        "  pushl %edi\n"
        "  movl 12(%ebp), %ecx\n"
        "  movl 16(%ebp), %edx\n"
        "  movl %esp, %esi\n"
        "1:\n"
        "  testl %ecx, %ecx\n"
        "  jz 2f\n"
        "  decl %ecx\n"
        "  pushl (%edx,%ecx,4)\n"
        "  jmp 1b\n"
        "2:\n"
        "  call *8(%ebp)\n"
        "  movl %esp, %ebx\n"
        "  subl %esi, %ebx\n"
        "  movl %esi, %esp\n"
        "  movl 20(%ebp), %ecx\n"
        "  movl %ebx, (%ecx)\n"
        "  popl %edi\n"
        "  popl %esi\n"
        "  popl %ebx\n"
        "  popl %ebp\n"
        "  ret\n");
#endif
extern uint64_t __cdecl sp_call(FARPROC f, int n, const uintptr_t *args, intptr_t *delta);

/* --- the emulator's control API over Winsock ----------------------------------------- */
static char emu_host[64] = "127.0.0.1";
static int emu_port;

/* Sends one request with Connection: close; returns the body (malloc'd) or NULL. */
static char *control(const char *method, const char *path, const char *body) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return NULL;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((u_short)emu_port);
    a.sin_addr.s_addr = inet_addr(emu_host);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        closesocket(s);
        return NULL;
    }
    char head[512];
    int blen = body ? (int)strlen(body) : 0;
    int hlen = snprintf(head, sizeof head,
                        "%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n"
                        "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n",
                        method, path, emu_host, emu_port, blen);
    send(s, head, hlen, 0);
    if (blen) send(s, body, blen, 0);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap) buf = realloc(buf, cap *= 2);
        int n = recv(s, buf + len, (int)(cap - len - 1), 0);
        if (n <= 0) break;
        len += (size_t)n;
    }
    closesocket(s);
    buf[len] = 0;
    char *start = strstr(buf, "\r\n\r\n");
    if (!start) {
        free(buf);
        return NULL;
    }
    memmove(buf, start + 4, strlen(start + 4) + 1);
    return buf;
}
static void reset_emulator(void) { free(control("POST", "/_emulator/reset", NULL)); }
static void push_fault(const char *json) { free(control("POST", "/_emulator/faults", json)); }
static int count_in(const char *hay, const char *needle) {
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}
static int log_count(const char *needle) {
    char *all = control("GET", "/_emulator/requests", NULL);
    int n = all ? count_in(all, needle) : -1;
    free(all);
    return n;
}

/* --- helpers ---------------------------------------------------------------------------- */
static char base_url[128], oauth_url[128];

static HZ new_client(const char *token) {
    HZ h = 0;
    CHECK_STATUS(client_new(token, &h), OK);
    CHECK(h != 0, "a handle");
    CHECK_STATUS(set_base_url(h, base_url), OK);
    return h;
}
/* The two-call protocol: size first, then the text. */
static char *copy_out(p_copy_out f) {
    size_t needed = 0;
    int32_t s = f(NULL, 0, &needed);
    if (s == OK) return _strdup(""); /* cannot happen: the NUL is always needed */
    CHECK(s == BUFFER_TOO_SMALL && needed >= 1, "first call: %d, needed %u", (int)s, (unsigned)needed);
    char *buf = malloc(needed ? needed : 1);
    CHECK_STATUS(f(buf, needed, &needed), OK);
    return buf;
}
static char *message(void) { return copy_out(last_error_message); }

/* --- the tests ------------------------------------------------------------------------- */

/* Every header function is exported under its plain name and covered by EXPORTS. */
static void test_exports(HMODULE dll, const char *header) {
    for (int i = 0; i < N_EXPORTS; i++) {
        EXPORTS[i].fn = GetProcAddress(dll, EXPORTS[i].name);
        CHECK(EXPORTS[i].fn != NULL, "GetProcAddress(%s)", EXPORTS[i].name);
    }
    FILE *h = fopen(header, "r");
    CHECK(h != NULL, "cannot open %s", header);
    if (!h) return;
    char line[4096];
    int declared = 0;
    while (fgets(line, sizeof line, h)) {
        if (strncmp(line, "ZOOMLIVE_CALL ", 14) != 0) continue;
        char *paren = strchr(line, '(');
        if (!paren) continue;
        char *end = paren, *start = paren;
        while (start > line && (start[-1] == '_' || isalnum((unsigned char)start[-1]))) start--;
        *end = 0;
        declared++;
        int covered = 0;
        for (int i = 0; i < N_EXPORTS; i++) covered |= strcmp(EXPORTS[i].name, start) == 0;
        CHECK(covered, "%s is declared in zoomlive.h but not covered by tests/windows/host.c "
                       "(add it to EXPORTS and test it)", start);
        CHECK(GetProcAddress(dll, start) != NULL, "%s is not exported under its plain name", start);
    }
    fclose(h);
    CHECK(declared == N_EXPORTS, "zoomlive.h declares %d functions, host.c covers %d", declared, N_EXPORTS);
#ifndef _WIN64
    /* FoxPro looks names up as written: no stdcall decoration on the exported names. */
    CHECK(GetProcAddress(dll, "_zoomlive_client_new@8") == NULL, "decorated name exported");
#endif
    ok("every zoomlive.h function is exported under its plain name and covered");
}

static void test_static(const char *want_version) {
    CHECK(strcmp(version(), want_version) == 0, "version %s, header %s", version(), want_version);
    CHECK(strcmp(status_str(OK), "ok") == 0 || status_str(OK)[0] != 0, "status_str(0)");
    CHECK(strcmp(status_str(12345), "unknown status") == 0, "unknown: %s", status_str(12345));
    for (int s = OK; s <= PANIC; s++)
        CHECK(strcmp(status_str(s), "unknown status") != 0, "status %d has a name", s);
    ok("zoomlive_version, zoomlive_status_str");
}

static void test_arguments(void) {
    HZ h = 0;
    CHECK_STATUS(client_new(NULL, &h), NULL_ARGUMENT);
    CHECK_STATUS(client_new(TOKEN, NULL), NULL_ARGUMENT);
    CHECK_STATUS(client_new("", &h), INVALID_ARGUMENT);
    CHECK(last_status() == INVALID_ARGUMENT, "last status %d", last_status());
    CHECK_STATUS(client_new_s2s(NULL, "c", "s", &h), NULL_ARGUMENT);
    CHECK_STATUS(client_new_s2s("a", "c", "s", NULL), NULL_ARGUMENT);
    CHECK_STATUS(set_base_url(0, base_url), NULL_ARGUMENT);
    CHECK_STATUS(set_timeout_ms(0, 5), NULL_ARGUMENT);
    client_free(0); /* a no-op */

    h = new_client(TOKEN);
    CHECK_STATUS(set_base_url(h, "ftp://x"), INVALID_ARGUMENT);
    {
        char *field = copy_out(last_error_field);
        CHECK(strstr(field, "base_url") != NULL, "field %s", field);
        free(field);
    }
    CHECK_STATUS(set_base_url(h, base_url), OK);
    CHECK_STATUS(set_oauth_url(h, oauth_url), OK);
    CHECK_STATUS(set_oauth_url(h, NULL), NULL_ARGUMENT);
    CHECK_STATUS(set_encoding(h, "json"), OK);
    CHECK_STATUS(set_encoding(h, "multipart"), OK);
    CHECK_STATUS(set_encoding(h, "xml"), INVALID_ARGUMENT);
    CHECK_STATUS(set_timeout_ms(h, 0), INVALID_ARGUMENT);
    CHECK_STATUS(set_timeout_ms(h, 30000), OK);
    CHECK_STATUS(set_connect_timeout_ms(h, 0), INVALID_ARGUMENT);
    CHECK_STATUS(set_connect_timeout_ms(h, 5000), OK);
    CHECK_STATUS(set_max_retries(h, 0), OK);
    CHECK_STATUS(set_extra_ca_file(h, "Z:\\no\\such\\ca.pem"), INVALID_ARGUMENT);
    {
        char *field = copy_out(last_error_field);
        CHECK(strstr(field, "extra_ca") != NULL, "field %s", field);
        free(field);
    }
    CHECK_STATUS(set_extra_ca_file(h, NULL), NULL_ARGUMENT);
    CHECK_STATUS(set_token_cache_dir(h, NULL), NULL_ARGUMENT);
    CHECK_STATUS(set_token_cache_dir(h, ""), INVALID_ARGUMENT);
    {
        char *field = copy_out(last_error_field);
        CHECK(strcmp(field, "token_cache_dir") == 0, "field %s", field);
        free(field);
    }

    int before = log_count("\"seq\":");
    CHECK_STATUS(meeting_status(h, NULL, "start", NULL), NULL_ARGUMENT);
    CHECK_STATUS(meeting_status(h, "123/../../users", "start", NULL), INVALID_ARGUMENT);
    {
        char *field = copy_out(last_error_field);
        CHECK(strcmp(field, "meeting_id") == 0, "field %s", field);
        free(field);
        char *msg = message();
        CHECK(msg[0] != 0, "a message");
        free(msg);
    }
    CHECK_STATUS(meeting_status(h, MEETING, "pause", NULL), INVALID_ARGUMENT);
    CHECK_STATUS(meeting_status(h, MEETING, "start", "[1,2]"), INVALID_ARGUMENT);
    CHECK_STATUS(meeting_status(h, "\xff\xfe", "start", NULL), INVALID_UTF8);
    CHECK_STATUS(webinar_status(h, "abc", "stop", NULL), INVALID_ARGUMENT);
    CHECK_STATUS(meeting_update(h, MEETING, "rtmp://x/live", "k", "not a url", NULL), INVALID_ARGUMENT);
    CHECK_STATUS(webinar_update(h, WEBINAR, "rtmp://x/live", "k", "https://example.com/p", "4k"), INVALID_ARGUMENT);
    CHECK_STATUS(meeting_get(h, "x", NULL, 0, NULL), INVALID_ARGUMENT);
    CHECK_STATUS(webinar_get(h, NULL, NULL, 0, NULL), NULL_ARGUMENT);
    CHECK(log_count("\"seq\":") == before, "refused calls sent nothing");
    client_free(h);
    ok("argument checks: NULL, invalid, invalid UTF-8; nothing sent");
}

static void test_operations(void) {
    reset_emulator();
    HZ h = new_client(TOKEN);
    CHECK_STATUS(meeting_status(h, MEETING, "start", SETTINGS), OK);
    CHECK(last_status() == OK && last_http_status() == 0 && last_zoom_code() == 0, "cleared");
    {
        char *msg = message();
        CHECK(msg[0] == 0, "empty message after success: %s", msg);
        free(msg);
    }
    CHECK_STATUS(meeting_status(h, MEETING, "stop", ""), OK);
    CHECK_STATUS(webinar_status(h, WEBINAR, "start", "{\"display_name\":\"Town hall\"}"), OK);
    CHECK_STATUS(webinar_status(h, WEBINAR, "STOP", NULL), OK);
    CHECK_STATUS(meeting_update(h, MEETING, "rtmp://a.rtmp.youtube.com/live2", "mk-1",
                                "https://example.com/live", "1080p"), OK);
    CHECK_STATUS(set_encoding(h, "json"), OK);
    CHECK_STATUS(webinar_update(h, WEBINAR, "rtmp://b.example/live", "wk", "https://example.com/w", NULL), OK);
    CHECK_STATUS(set_encoding(h, "multipart"), OK);

    /* The two-call buffer protocol on a get: the first call is made and sizes it. */
    size_t needed = 0;
    char small[4];
    CHECK_STATUS(meeting_get(h, MEETING, small, sizeof small, &needed), BUFFER_TOO_SMALL);
    CHECK(needed > sizeof small, "needed %u", (unsigned)needed);
    char *buf = malloc(needed);
    size_t needed2 = 0;
    CHECK_STATUS(meeting_get(h, MEETING, buf, needed, &needed2), OK);
    CHECK(needed2 == needed && strlen(buf) + 1 == needed, "%u vs %u", (unsigned)needed2, (unsigned)needed);
    CHECK(strstr(buf, "\"stream_url\":\"rtmp://a.rtmp.youtube.com/live2\"") != NULL, "%s", buf);
    CHECK(strstr(buf, "\"resolution\":\"1080p\"") != NULL, "%s", buf);
    free(buf);
    char big[1024];
    CHECK_STATUS(webinar_get(h, WEBINAR, big, sizeof big, NULL), OK);
    CHECK(strstr(big, "\"stream_key\":\"wk\"") != NULL, "%s", big);

    /* The emulator's log: what arrived, in order, and never the token in clear. */
    char *all = control("GET", "/_emulator/requests", NULL);
    CHECK(all != NULL, "the emulator's log");
    if (all) {
        CHECK(count_in(all, "\"seq\":") == 9, "9 requests, got %d", count_in(all, "\"seq\":"));
        CHECK(count_in(all, "\"path\":\"/v2/meetings/68423085/livestream/status\"") == 2, "meeting status x2");
        CHECK(count_in(all, "\"path\":\"/v2/webinars/91234567890/livestream/status\"") == 2, "webinar status x2");
        CHECK(count_in(all, "\"path\":\"/v2/meetings/68423085/livestream\"") == 3, "meeting update + 2 gets");
        CHECK(count_in(all, "\"path\":\"/v2/webinars/91234567890/livestream\"") == 2, "webinar update + get");
        CHECK(count_in(all, "\"method\":\"PATCH\"") == 6, "6 PATCH");
        CHECK(count_in(all, "\"method\":\"GET\"") == 3, "3 GET");
        CHECK(count_in(all, "dolore ullamco irur") == 1, "the settings went out");
        CHECK(count_in(all, "multipart/form-data") >= 1 && count_in(all, "application/json") >= 1,
              "both encodings");
        CHECK(strstr(all, "FAKE-ZOOM-TOKEN-0123456789abcdef") == NULL, "the token is redacted in the log");
        free(all);
    }
    client_free(h);

    /* Server-to-Server OAuth against the emulator's token endpoint. */
    HZ s = 0;
    CHECK_STATUS(client_new_s2s("demo-account", "demo-client", "demo-secret", &s), OK);
    CHECK_STATUS(set_base_url(s, base_url), OK);
    CHECK_STATUS(set_oauth_url(s, oauth_url), OK);
    CHECK_STATUS(meeting_status(s, MEETING, "start", NULL), OK);
    CHECK(log_count("/oauth/token") == 1, "one token request");
    client_free(s);
    HZ bad = 0;
    CHECK_STATUS(client_new_s2s("demo-account", "demo-client", "wrong-secret", &bad), OK);
    CHECK_STATUS(set_base_url(bad, base_url), OK);
    CHECK_STATUS(set_oauth_url(bad, oauth_url), OK);
    CHECK_STATUS(meeting_status(bad, MEETING, "stop", NULL), AUTH);
    {
        char *msg = message();
        CHECK(strstr(msg, "wrong-secret") == NULL, "no secret in %s", msg);
        free(msg);
    }
    client_free(bad);
    ok("every operation, both encodings, the two-call get, OAuth; the emulator's log");
}

static void test_failures(void) {
    reset_emulator();
    HZ h = new_client(TOKEN);
    CHECK_STATUS(set_max_retries(h, 0), OK);

    CHECK_STATUS(meeting_status(h, "12345678901", "start", NULL), NOT_FOUND);
    CHECK(last_status() == NOT_FOUND && last_http_status() == 404 && last_zoom_code() == 3001,
          "%d %d %lld", last_status(), last_http_status(), (long long)last_zoom_code());
    {
        size_t needed = 0;
        char tiny[8];
        CHECK_STATUS(last_error_message(tiny, sizeof tiny, &needed), BUFFER_TOO_SMALL);
        char *msg = malloc(needed);
        CHECK_STATUS(last_error_message(msg, needed, NULL), OK);
        CHECK(strstr(msg, "3001") != NULL && strstr(msg, TOKEN) == NULL, "%s", msg);
        free(msg);
        char *tid = copy_out(last_tracking_id);
        CHECK(strncmp(tid, "v=2.0;clid=emu", 14) == 0, "tracking %s", tid);
        free(tid);
    }
    CHECK_STATUS(last_error_message(NULL, 0, NULL), BUFFER_TOO_SMALL);

    CHECK_STATUS(meeting_status(h, MEETING, "start", NULL), OK);
    CHECK_STATUS(meeting_status(h, MEETING, "start", SETTINGS), API_ERROR);
    CHECK(last_http_status() == 400 && last_zoom_code() == 3000, "settings while live");

    push_fault("{\"status\":429,\"code\":429,\"message\":\"slow down\",\"retry_after\":\"30\","
               "\"headers\":{\"X-RateLimit-Type\":\"QPS\",\"X-RateLimit-Limit\":\"30\","
               "\"X-RateLimit-Remaining\":\"0\"}}");
    CHECK_STATUS(meeting_status(h, MEETING, "stop", NULL), RATE_LIMITED);
    CHECK(last_retry_after_ms() == 30000, "retry after %lld", (long long)last_retry_after_ms());
    {
        char *rl = copy_out(last_rate_limit);
        CHECK(strcmp(rl, "QPS;;30;0") == 0, "rate limit %s", rl);
        free(rl);
    }

    push_fault("{\"scopes\":[\"meeting:write:admin\",\"meeting:write\"]}");
    CHECK_STATUS(meeting_status(h, MEETING, "stop", NULL), AUTH);
    {
        char *sc = copy_out(last_missing_scopes);
        CHECK(strcmp(sc, "meeting:write:admin,meeting:write") == 0, "scopes %s", sc);
        free(sc);
        char *rl = copy_out(last_rate_limit);
        CHECK(rl[0] == 0, "rate limit cleared: %s", rl);
        free(rl);
    }

    push_fault("{\"status\":500,\"body\":\"<html>oops</html>\"}");
    CHECK_STATUS(webinar_status(h, WEBINAR, "stop", NULL), API_ERROR);
    CHECK(last_http_status() == 500, "http %d", last_http_status());

    push_fault("{\"delay_ms\":3000}");
    CHECK_STATUS(set_timeout_ms(h, 300), OK);
    CHECK_STATUS(meeting_status(h, MEETING, "stop", NULL), TIMEOUT);
    CHECK(last_http_status() == 0, "no answer");
    CHECK_STATUS(set_timeout_ms(h, 30000), OK);

    push_fault("{\"drop\":true}");
    CHECK_STATUS(meeting_status(h, MEETING, "stop", NULL), TRANSPORT);

    HZ closed = 0;
    CHECK_STATUS(client_new(TOKEN, &closed), OK);
    CHECK_STATUS(set_base_url(closed, "http://127.0.0.1:9/v2"), OK);
    CHECK_STATUS(set_connect_timeout_ms(closed, 2000), OK);
    CHECK_STATUS(meeting_status(closed, MEETING, "stop", NULL), TRANSPORT);
    client_free(closed);

    HZ wrong = new_client("wrong-token");
    CHECK_STATUS(meeting_status(wrong, MEETING, "stop", NULL), AUTH);
    CHECK(last_http_status() == 401, "http %d", last_http_status());
    {
        char *msg = message();
        CHECK(strstr(msg, "wrong-token") == NULL, "no token in %s", msg);
        free(msg);
    }
    client_free(wrong);
    client_free(h);
    ok("failures: 404, 400/3000, 429 with Retry-After and rate-limit headers, scopes, 500, "
       "timeout, dropped connection, refused connection, 401");
}

/* The last-error state is per thread. */
static HZ shared;
static volatile LONG thread_ok;
static DWORD WINAPI other_thread(LPVOID arg) {
    (void)arg;
    int32_t s = meeting_status(shared, MEETING, "stop", NULL);
    if (s == OK && last_status() == OK && last_http_status() == 0) InterlockedIncrement(&thread_ok);
    s = meeting_status(shared, "999", "stop", NULL);
    if (s == NOT_FOUND && last_http_status() == 404) InterlockedIncrement(&thread_ok);
    return 0;
}
static void test_threads(void) {
    reset_emulator();
    shared = new_client(TOKEN);
    CHECK_STATUS(meeting_status(shared, "12345678901", "stop", NULL), NOT_FOUND);
    HANDLE t[4];
    for (int i = 0; i < 4; i++) t[i] = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    CHECK(WaitForMultipleObjects(4, t, TRUE, 60000) == WAIT_OBJECT_0, "threads finished");
    for (int i = 0; i < 4; i++) CloseHandle(t[i]);
    CHECK(thread_ok == 8, "each thread saw its own last error (%ld of 8)", (long)thread_ok);
    CHECK(last_status() == NOT_FOUND && last_http_status() == 404 && last_zoom_code() == 3001,
          "this thread's last error is still its own: %d %d", last_status(), last_http_status());
    client_free(shared);
    ok("last error per thread; one client shared by 4 threads");
}

/* The trace: zoomlive_last_trace, the log callback (called back through a __stdcall
 * pointer, as a host's own function would be), zoomlive_doctor. */
static volatile LONG cb_debug, cb_info, cb_other, cb_dirty;
static void *volatile cb_user;
static void API on_log(int32_t level, const char *line, void *user_data) {
    if (level == 4)
        InterlockedIncrement(&cb_debug);
    else if (level == 3)
        InterlockedIncrement(&cb_info);
    else
        InterlockedIncrement(&cb_other);
    if (!line || strstr(line, TOKEN)) cb_dirty = 1;
    cb_user = user_data;
}
static void test_trace(void) {
    reset_emulator();
    HZ h = new_client(TOKEN);
    CHECK_STATUS(meeting_status(h, MEETING, "start", SETTINGS), OK);
    char *t = copy_out(last_trace);
    CHECK(strstr(t, " request PATCH /v2/meetings/" MEETING "/livestream/status") != NULL, "%s", t);
    CHECK(strstr(t, " header Authorization: Bearer <redacted>") != NULL, "%s", t);
    CHECK(strstr(t, " answer 204 ") != NULL && strstr(t, " outcome ok total_ms=") != NULL, "%s", t);
    CHECK(strstr(t, TOKEN) == NULL, "no token in the trace");
    free(t);
    CHECK_STATUS(meeting_status(h, "12345678901", "start", NULL), NOT_FOUND);
    t = copy_out(last_trace);
    CHECK(strstr(t, " answer 404 ") != NULL && strstr(t, " outcome failed kind=not_found") != NULL, "%s", t);
    free(t);
    CHECK_STATUS(meeting_status(h, "12x", "start", NULL), INVALID_ARGUMENT);
    t = copy_out(last_trace);
    CHECK(t[0] == 0, "empty after a refused argument: %s", t);
    free(t);
    ok("zoomlive_last_trace: a success, a 404, \"\" after a refused argument; no token");

    int marker = 0;
    CHECK_STATUS(set_log_callback(on_log, &marker), OK);
    uintptr_t a[6] = {(uintptr_t)h, (uintptr_t)MEETING, (uintptr_t)"stop", 0, 0, 0};
    intptr_t delta = 12345;
    int32_t got = (int32_t)sp_call(fn("zoomlive_meeting_livestream_status"), 4, a, &delta);
    CHECK(got == OK, "a stop with the callback set: %d", (int)got);
    CHECK(delta == 0, "the stack pointer moved by %ld across a call that logged", (long)delta);
    t = copy_out(last_trace);
    int lines = 0;
    for (const char *p = t; *p; p++) lines += *p == '\n';
    free(t);
    CHECK(cb_debug == lines && lines > 0, "one debug record per trace event: %ld of %d", (long)cb_debug, lines);
    CHECK(cb_info == 1 && cb_other == 0, "one info line per call: %ld, others %ld", (long)cb_info, (long)cb_other);
    CHECK(cb_user == &marker, "user_data passed back unchanged");
    CHECK(!cb_dirty, "no token in a log line");
    CHECK_STATUS(set_log_callback(NULL, NULL), OK);
    LONG before = cb_debug;
    CHECK_STATUS(meeting_status(h, MEETING, "start", NULL), OK);
    CHECK(cb_debug == before, "no record after NULL: %ld, was %ld", (long)cb_debug, (long)before);
    ok("zoomlive_set_log_callback: a __stdcall callback gets a debug line per event and an info line per call, user_data back, the stack intact; NULL turns it off");

    size_t needed = 0;
    char small[4];
    CHECK_STATUS(doctor(h, small, sizeof small, &needed), BUFFER_TOO_SMALL);
    /* The checks run again on the second call, and their timings may take more
     * digits: room to spare. */
    size_t cap = needed * 2 + 256;
    char *json = malloc(cap);
    CHECK_STATUS(doctor(h, json, cap, &needed), OK);
    CHECK(json[0] == '[' && strstr(json, "\"check\":\"token\",\"status\":\"ok\"") != NULL, "doctor: %s", json);
    CHECK(strstr(json, TOKEN) == NULL, "no token in the doctor's JSON");
    free(json);
    CHECK_STATUS(doctor(0, small, sizeof small, &needed), NULL_ARGUMENT);
    CHECK_STATUS(set_base_url(h, "http://127.0.0.1:9/v2"), OK);
    char out[8192];
    CHECK_STATUS(doctor(h, out, sizeof out, NULL), API_ERROR);
    CHECK(strstr(out, "\"status\":\"fail\"") != NULL, "a failed check: %s", out);
    client_free(h);
    ok("zoomlive_doctor: its JSON (token ok, no token shown), the two-call protocol, a dead host fails");
}

/* The batch runner as a FoxPro job calls it: a CSV written as COPY TO ... TYPE CSV
 * writes it (ANSI text, quoted, T/F, CRLF, the DOS end-of-file byte) in a Windows
 * folder, a results CSV, the status and zoomlive_last_batch_counts; a refused row sends
 * nothing and writes no results. */
static char *read_text_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}
static void test_batch(void) {
    char dir[MAX_PATH], in[MAX_PATH + 32], out[MAX_PATH + 32], bad[MAX_PATH + 32];
    DWORD n = GetTempPathA(sizeof dir - 32, dir);
    CHECK(n > 0, "GetTempPathA");
    snprintf(dir + n, sizeof dir - n, "zoomlive-batch-%s", ARCH);
    CreateDirectoryA(dir, NULL);
    snprintf(in, sizeof in, "%s\\streams.csv", dir);
    snprintf(out, sizeof out, "%s\\results.csv", dir);
    snprintf(bad, sizeof bad, "%s\\bad.csv", dir);
    DeleteFileA(out);
    FILE *f = fopen(in, "wb");
    CHECK(f != NULL, "cannot write %s", in);
    if (!f) return;
    fputs("op,kind,id,display_name,active_speaker_name,layout,key\r\n"
          "\"start\",\"meeting\"," MEETING ",\"Caf\xe9 host\",T,\"\",\"r1\"\r\n"
          "\"stop\",\"meeting\"," MEETING ",\"\",\"\",\"\",\"r2\"\r\n"
          "\"get\",\"webinar\"," WEBINAR ",\"\",\"\",\"\",\"r3\"\r\n"
          "\"start\",\"meeting\",999,\"\",F,\"\",\"r4\"\r\n\x1a",
          f);
    fclose(f);
    reset_emulator();
    HZ h = new_client(TOKEN);
    CHECK_STATUS(batch_file(h, in, out, "{\"rate\":100}"), BATCH_FAILED);
    char *counts = copy_out(last_batch_counts);
    CHECK(strcmp(counts, "3;1;0;0") == 0, "counts %s", counts);
    free(counts);
    const char *text = read_text_file(out);
    CHECK(text != NULL, "no results file %s", out);
    if (text) {
        CHECK(strstr(text, "\r\n1,r1,start,meeting," MEETING ",ok,") != NULL, "%s", text);
        CHECK(strstr(text, "\r\n4,r4,start,meeting,999,failed,404,3001,not_found,") != NULL, "%s", text);
        CHECK(strstr(text, TOKEN) == NULL, "a token in the results");
    }
    CHECK(log_count("Caf\xc3\xa9 host") == 1, "the ANSI name reached Zoom as UTF-8");

    /* A refused row: nothing sent, no results file, counts 0. */
    f = fopen(bad, "wb");
    CHECK(f != NULL, "cannot write %s", bad);
    if (!f) return;
    fputs("op,kind,id\r\nstart,meeting," MEETING "\r\nbegin,meeting," MEETING "\r\n", f);
    fclose(f);
    DeleteFileA(out);
    reset_emulator();
    CHECK_STATUS(batch_file(h, bad, out, NULL), INVALID_ARGUMENT);
    char *msg = message();
    CHECK(strstr(msg, "(row 2)") != NULL, "%s", msg);
    free(msg);
    counts = copy_out(last_batch_counts);
    CHECK(strcmp(counts, "0;0;0;0") == 0, "counts %s", counts);
    free(counts);
    CHECK(GetFileAttributesA(out) == INVALID_FILE_ATTRIBUTES, "a results file was written");
    CHECK(log_count("\"seq\":") == 0, "nothing was sent");
    CHECK_STATUS(batch_file(0, in, out, NULL), NULL_ARGUMENT);
    client_free(h);
    ok("zoomlive_batch_file: a FoxPro CSV (ANSI, quoted, T/F, CRLF, EOF byte) in a Windows folder, results CSV, status 13, zoomlive_last_batch_counts; a refused row sends nothing");
}

/* A cdecl function: the control that shows sp_call sees a convention mismatch. */
static int32_t __cdecl cdecl_two(intptr_t a, intptr_t b) { return (int32_t)(a + b); }
static int32_t API stdcall_two(intptr_t a, intptr_t b) { return (int32_t)(a + b); }

/* The stack pointer across `rounds` calls of every export. */
static void test_stack(int rounds) {
    {
        uintptr_t a[6] = {40, 2, 0, 0, 0, 0};
        intptr_t d_std = 1, d_cdecl = 1;
        int32_t r1 = (int32_t)sp_call((FARPROC)(void *)stdcall_two, 2, a, &d_std);
        int32_t r2 = (int32_t)sp_call((FARPROC)(void *)cdecl_two, 2, a, &d_cdecl);
        CHECK(r1 == 42 && r2 == 42, "sp_call passes arguments: %d %d", (int)r1, (int)r2);
        CHECK(d_std == 0, "a stdcall function keeps the stack pointer: %ld", (long)d_std);
#ifdef _WIN64
        CHECK(d_cdecl == 0, "x64 has one convention: %ld", (long)d_cdecl);
#else
        CHECK(d_cdecl == -8, "the check sees a cdecl function leave its 8 bytes: %ld", (long)d_cdecl);
#endif
    }
    reset_emulator();
    HZ h = new_client(TOKEN);
    char buf[256];
    size_t needed;
    int bad = 0, calls = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N_EXPORTS; i++) {
            const char *n = EXPORTS[i].name;
            uintptr_t a[6] = {0, 0, 0, 0, 0, 0};
            HZ made = 0;
            /* Arguments that exercise each: real calls on some rounds, refusals otherwise. */
            int net = (r % 25 == 0);
            if (!strcmp(n, "zoomlive_client_new")) {
                a[0] = (uintptr_t)TOKEN; a[1] = (uintptr_t)&made;
            } else if (!strcmp(n, "zoomlive_client_new_s2s")) {
                a[0] = (uintptr_t)"a"; a[1] = (uintptr_t)"c"; a[2] = (uintptr_t)"s"; a[3] = (uintptr_t)&made;
            } else if (!strcmp(n, "zoomlive_client_free")) {
                a[0] = 0;
            } else if (!strcmp(n, "zoomlive_client_set_base_url")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)base_url;
            } else if (!strcmp(n, "zoomlive_client_set_oauth_url")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)oauth_url;
            } else if (!strcmp(n, "zoomlive_client_set_encoding")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)(r % 2 ? "json" : "multipart");
            } else if (strstr(n, "_ms") && strstr(n, "client_set")) {
                a[0] = (uintptr_t)h; a[1] = 30000;
            } else if (!strcmp(n, "zoomlive_client_set_extra_ca_file")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)"Z:\\no\\such.pem";
            } else if (!strcmp(n, "zoomlive_client_set_token_cache_dir")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)"";
            } else if (!strcmp(n, "zoomlive_client_set_max_retries")) {
                a[0] = (uintptr_t)h; a[1] = 0;
            } else if (!strcmp(n, "zoomlive_client_set_proxy_credentials")) {
                a[0] = (uintptr_t)h; /* a NULL user: clears them */
            } else if (!strcmp(n, "zoomlive_client_set_proxy") || !strcmp(n, "zoomlive_client_set_no_proxy")
                       || !strcmp(n, "zoomlive_client_set_system_proxy")) {
                a[0] = (uintptr_t)h; a[1] = 0;
            } else if (!strcmp(n, "zoomlive_client_set_proxy_auth")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)"auto";
            } else if (!strcmp(n, "zoomlive_client_proxy_for")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)"https://api.zoom.us";
                a[2] = (uintptr_t)buf; a[3] = sizeof buf; a[4] = (uintptr_t)&needed;
            } else if (!strcmp(n, "zoomlive_batch_file")) {
                /* A missing input file: refused before anything is sent. */
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)"Z:\\no\\such.csv";
                a[2] = (uintptr_t)"Z:\\no\\results.csv"; a[3] = 0;
            } else if (EXPORTS[i].nargs == 3) { /* the copy-out getters */
                a[0] = (uintptr_t)buf; a[1] = sizeof buf; a[2] = (uintptr_t)&needed;
            } else if (strstr(n, "livestream_status")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)(net ? (strstr(n, "webinar") ? WEBINAR : MEETING) : "x");
                a[2] = (uintptr_t)"stop"; a[3] = 0;
            } else if (strstr(n, "livestream_update")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)(net ? (strstr(n, "webinar") ? WEBINAR : MEETING) : "x");
                a[2] = (uintptr_t)"rtmp://s/live"; a[3] = (uintptr_t)"k"; a[4] = (uintptr_t)"https://e.com/p";
                a[5] = (uintptr_t)"720p";
            } else if (strstr(n, "livestream_get")) {
                a[0] = (uintptr_t)h; a[1] = (uintptr_t)(net ? (strstr(n, "webinar") ? WEBINAR : MEETING) : "x");
                a[2] = (uintptr_t)buf; a[3] = sizeof buf; a[4] = (uintptr_t)&needed;
            } else if (!strcmp(n, "zoomlive_status_str")) {
                a[0] = (uintptr_t)(r % 14);
            }
            intptr_t delta = 12345;
            sp_call(EXPORTS[i].fn, EXPORTS[i].nargs, a, &delta);
            calls++;
            if (delta != 0) {
                if (bad++ < 10) printf("#   %s: the stack pointer moved by %ld bytes\n", n, (long)delta);
            }
            if (made) {
                uintptr_t f[6] = {(uintptr_t)made, 0, 0, 0, 0, 0};
                sp_call(fn("zoomlive_client_free"), 1, f, &delta);
                calls++;
                if (delta != 0 && bad++ < 10) printf("#   zoomlive_client_free: moved by %ld\n", (long)delta);
            }
        }
    }
    CHECK(bad == 0, "%d of %d calls moved the stack pointer", bad, calls);
    CHECK(log_count("\"seq\":") == 6 * ((rounds + 24) / 25), "the real calls arrived: %d", log_count("\"seq\":"));
    client_free(h);
    char what[160];
    snprintf(what, sizeof what, "stack pointer unchanged across %d calls (%d rounds of all %d exports)",
             calls, rounds, N_EXPORTS);
    ok(what);
}

/* TLS from inside Windows: an untrusted server is refused; its CA as the extra CA
 * file makes it trusted. URL is the TLS server's base URL; it answers 204. */
static void test_tls(const char *url, const char *ca, const char *other_ca) {
    HZ h = 0;
    CHECK_STATUS(client_new(TOKEN, &h), OK);
    CHECK_STATUS(set_base_url(h, url), OK);
    CHECK_STATUS(set_connect_timeout_ms(h, 5000), OK);
    CHECK_STATUS(set_timeout_ms(h, 10000), OK);
    CHECK_STATUS(meeting_status(h, MEETING, "start", NULL), TRANSPORT);
    {
        char *msg = message();
        printf("#   untrusted: %s\n", msg);
        CHECK(strstr(msg, "certificate") != NULL || strstr(msg, "TLS") != NULL || strstr(msg, "tls") != NULL,
              "a TLS refusal: %s", msg);
        free(msg);
    }
    ok("TLS: a server with an untrusted certificate is refused (OS verifier)");
    /* The extra-CA path verifies with rustls: another CA than the server's is refused. */
    if (other_ca && other_ca[0]) {
        CHECK_STATUS(set_extra_ca_file(h, other_ca), OK);
        CHECK_STATUS(meeting_status(h, MEETING, "start", NULL), TRANSPORT);
        char *msg = message();
        printf("#   other CA: %s\n", msg);
        CHECK(strstr(msg, "UnknownIssuer") != NULL || strstr(msg, "issuer") != NULL ||
                  strstr(msg, "not trusted") != NULL,
              "unknown issuer: %s", msg);
        free(msg);
        ok("TLS: with an unrelated extra CA the server is still refused (unknown issuer)");
    }
    CHECK_STATUS(set_extra_ca_file(h, ca), OK);
    CHECK_STATUS(meeting_status(h, MEETING, "start", NULL), OK);
    if (last_status() != OK) {
        char *msg = message();
        printf("#   %s\n", msg);
        free(msg);
    }
    ok("TLS: trusted through the extra CA file");
    client_free(h);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) {
        fprintf(stderr, "usage: %s DLL URL HEADER [--smoke | --tls CA.pem | --stack N]\n", argv[0]);
        return 2;
    }
    const char *dll_path = argv[1], *url = argv[2], *header = argv[3];
    const char *mode = argc > 4 ? argv[4] : "";
    WSADATA wsa;
    WSAStartup(MAKEWORD(2, 2), &wsa);

    HMODULE dll = LoadLibraryA(dll_path);
    if (!dll) {
        printf("not ok - LoadLibraryA(%s) failed: error %lu\n", dll_path, GetLastError());
        printf("windows-host-%s: 0 passed, 1 failed\n", ARCH);
        return 1;
    }
    ok("LoadLibraryA(zoomlive.dll)");
    test_exports(dll, header);
    if (failed) goto done;

    /* The header's version, for zoomlive_version. */
    char want_version[32] = "";
    FILE *hf = fopen(header, "r");
    char line[512];
    while (hf && fgets(line, sizeof line, hf))
        if (sscanf(line, "#define ZOOMLIVE_VERSION \"%31[^\"]\"", want_version) == 1) break;
    if (hf) fclose(hf);
    test_static(want_version);

    if (!strcmp(mode, "--tls")) {
        test_tls(url, argc > 5 ? argv[5] : "", argc > 6 ? argv[6] : "");
        goto done;
    }
    if (sscanf(url, "http://%63[^:]:%d", emu_host, &emu_port) != 2) {
        printf("not ok - cannot read the emulator URL %s\n", url);
        failed++;
        goto done;
    }
    snprintf(base_url, sizeof base_url, "%s/v2", url);
    snprintf(oauth_url, sizeof oauth_url, "%s/oauth/token", url);
    if (!strcmp(mode, "--smoke")) {
        reset_emulator();
        HZ h = new_client(TOKEN);
        CHECK_STATUS(meeting_status(h, MEETING, "start", SETTINGS), OK);
        CHECK_STATUS(meeting_status(h, "12345678901", "start", NULL), NOT_FOUND);
        char *msg = message();
        CHECK(strstr(msg, "3001") != NULL, "%s", msg);
        free(msg);
        CHECK(log_count("\"path\":\"/v2/meetings/68423085/livestream/status\"") == 1, "the emulator got it");
        client_free(h);
        ok("smoke: a start and a 404 through the DLL");
        goto done;
    }
    test_arguments();
    test_operations();
    test_failures();
    test_threads();
    test_trace();
    test_batch();
    test_stack(argc > 5 && !strcmp(mode, "--stack") ? atoi(argv[5]) : 200);
done:
    printf("windows-host-%s: %d passed, %d failed\n", ARCH, passed, failed);
    fflush(stdout);
    /* ExitProcess with the DLL still loaded: as a FoxPro session ends. */
    return failed ? 1 : 0;
}
