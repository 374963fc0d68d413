/*
 * Reliability from C: emulator faults (dropped, truncated, huge, XML, 429 storms,
 * idle-closed connections, OAuth down/refusing/garbage, tokens expiring mid-run),
 * 8 threads x 500 calls on one client with per-thread last errors, and RSS staying
 * flat over a long create/call/free loop.
 * Usage: test_reliability URL [threads calls loops]   (defaults 8 500 2000)
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "test_support.h"

static int threads = 8, calls = 500, loops = 2000;

static void test_faults(void) {
    zoomlive_client *c = new_client(TOKEN);
    free(control("POST", "/_emulator/reset", NULL));
    push_fault("{\"drop\":true}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_TRANSPORT);
    push_fault("{\"truncate\":true,\"status\":400}");
    zoomlive_status s = zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL);
    CHECK(s == ZOOMLIVE_STATUS_API_ERROR || s == ZOOMLIVE_STATUS_TRANSPORT, "truncated: %s", zoomlive_status_str(s));
    push_fault("{\"status\":500,\"body_size\":20000000}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_API_ERROR);
    CHECK(strlen(last_message()) < 1000, "huge bodies are capped: %zu", strlen(last_message()));
    push_fault("{\"status\":404,\"code\":1001,\"message\":\"User does not exist: x.\",\"xml\":true}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_NOT_FOUND);
    CHECK(zoomlive_last_zoom_code() == 1001 && strstr(last_message(), "User does not exist: x."), "%s", last_message());
    CHECK(request_count() == 4, "nothing retried: %d", request_count());

    free(control("DELETE", "/_emulator/requests", NULL));
    push_fault("{\"status\":429,\"code\":429,\"message\":\"storm\",\"retry_after\":\"0\",\"times\":10}");
    CHECK_STATUS(zoomlive_client_set_max_retries(c, 2), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_RATE_LIMITED);
    CHECK(request_count() == 3, "1 try + 2 retries: %d", request_count());
    free(control("DELETE", "/_emulator/faults", NULL));

    push_fault("{\"close_idle_ms\":20}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    zoomlive_client_free(c);
}

static zoomlive_client *s2s(const char *oauth) {
    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new_s2s("demo-account", "demo-client", "demo-secret", &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_oauth_url(c, oauth), ZOOMLIVE_STATUS_OK);
    return c;
}

static void test_oauth_faults(void) {
    free(control("POST", "/_emulator/reset", NULL));
    zoomlive_client *down = s2s("http://127.0.0.1:9/oauth/token");
    CHECK_STATUS(zoomlive_meeting_livestream_status(down, "68423085", "stop", NULL), ZOOMLIVE_STATUS_TRANSPORT);
    zoomlive_client_free(down);

    zoomlive_client *c = s2s(oauth_url);
    push_fault("{\"path\":\"/oauth/token\",\"status\":401,\"body\":\"{\\\"reason\\\":\\\"nope\\\",\\\"error\\\":\\\"invalid_client\\\"}\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(strstr(last_message(), "nope") != NULL, "%s", last_message());
    push_fault("{\"path\":\"/oauth/token\",\"status\":200,\"body\":\"garbage\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(request_count() == 2 && log_count("/v2/") == 0, "no API call without a token");

    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    free(control("POST", "/_emulator/expire-tokens", NULL));
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    CHECK(log_count("\"path\":\"/oauth/token\"") == 4, "one refresh: %d token requests", log_count("\"path\":\"/oauth/token\""));
    CHECK(log_count("\"status\":401") == 2, "the expired token got one 401 (and the OAuth fault one)");
    zoomlive_client_free(c);
}

static zoomlive_client *shared;
static int mixups, call_failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    int n = *(int *)arg, bad = 0, mixed = 0;
    char id[32], msg[512];
    snprintf(id, sizeof id, "7770000%d", n);
    for (int i = 0; i < calls; i++) {
        if (i % 10 == 9) {
            if (zoomlive_meeting_livestream_status(shared, id, "stop", NULL) != ZOOMLIVE_STATUS_NOT_FOUND) bad++;
            if (zoomlive_last_error_message(msg, sizeof msg, NULL) != ZOOMLIVE_STATUS_OK || !strstr(msg, id)) mixed++;
        } else if (zoomlive_meeting_livestream_status(shared, "68423085", "stop", NULL) != ZOOMLIVE_STATUS_OK) {
            bad++;
        } else if (zoomlive_last_http_status() != 0 || zoomlive_last_zoom_code() != 0) {
            mixed++;
        }
    }
    pthread_mutex_lock(&lock);
    call_failures += bad;
    mixups += mixed;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void test_threads(void) {
    pthread_t t[64];
    int ids[64];
    shared = new_client(TOKEN);
    free(control("POST", "/_emulator/reset", NULL));
    for (int i = 0; i < threads; i++) {
        ids[i] = i;
        CHECK(pthread_create(&t[i], NULL, worker, &ids[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    CHECK(call_failures == 0, "%d failed calls", call_failures);
    CHECK(mixups == 0, "%d last-error mix-ups between threads", mixups);
    int total = threads * calls;
    CHECK(request_count() == total, "the emulator saw %d requests, want %d", request_count(), total);
    CHECK(log_count("\"encoding\":\"multipart\"") == total, "all well-formed multipart");
    CHECK(log_count("\"status\":204") == total - total / 10, "all successes answered 204");
    zoomlive_client_free(shared);
}

static long rss_kib(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void test_rss_stays_flat(void) {
    long warm = 0;
    int bad = 0;
    for (int i = 0; i < loops; i++) {
        zoomlive_client *c = NULL;
        if (zoomlive_client_new(TOKEN, &c) != ZOOMLIVE_STATUS_OK) bad++;
        if (zoomlive_client_set_base_url(c, base_url) != ZOOMLIVE_STATUS_OK) bad++;
        /* Alternately a success and a 404, each with the status it must have. */
        if (zoomlive_meeting_livestream_status(c, i % 2 ? "68423085" : "1", "stop", NULL) !=
            (i % 2 ? ZOOMLIVE_STATUS_OK : ZOOMLIVE_STATUS_NOT_FOUND)) bad++;
        zoomlive_client_free(c);
        if (i == loops / 10) warm = rss_kib();
    }
    long end = rss_kib();
    CHECK(bad == 0, "%d failures in the loop", bad);
#ifdef __SANITIZE_ADDRESS__
    const int measure = 0; /* ASan's quarantine holds freed memory; LeakSanitizer checks leaks */
#else
    const int measure = getenv("ZOOMLIVE_SKIP_RSS") == NULL; /* set under valgrind */
#endif
    if (measure) {
        CHECK(warm > 0 && end - warm < 8 * 1024, "RSS grew from %ld KiB to %ld KiB over %d loops", warm, end, loops);
    }
    printf("rss: %ld KiB after %d loops, %ld KiB after %d\n", warm, loops / 10, end, loops);
}

int main(int argc, char **argv) {
    if (!parse_url_arg(argc, argv)) return 2;
    if (argc == 5) {
        threads = atoi(argv[2]);
        calls = atoi(argv[3]);
        loops = atoi(argv[4]);
    }
    if (threads < 1 || threads > 64 || calls < 10 || loops < 10) return 2;
    test_faults();
    test_oauth_faults();
    test_threads();
    test_rss_stays_flat();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
