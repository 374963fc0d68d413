/*
 * The C ABI, exercised from C against the emulator: every operation, every status,
 * NULL for every pointer, the last-error getters, and threads sharing one client.
 * Usage: test_capi http://127.0.0.1:PORT   (the emulator's URL)
 * Built with -std=c99 -Wall -Wextra -Wpedantic -Werror; run plain, under ASan+UBSan
 * and under valgrind by run.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "test_support.h"

static void test_version_and_status_names(void) {
    CHECK(strcmp(zoomlive_version(), ZOOMLIVE_VERSION) == 0, "%s vs %s", zoomlive_version(), ZOOMLIVE_VERSION);
    CHECK(strcmp(zoomlive_status_str(ZOOMLIVE_STATUS_OK), "ok") == 0, "ok name");
    CHECK(strcmp(zoomlive_status_str(ZOOMLIVE_STATUS_NOT_FOUND), "not found") == 0, "not found name");
    CHECK(strcmp(zoomlive_status_str(12345), "unknown status") == 0, "unknown");
    for (int s = 0; s <= ZOOMLIVE_STATUS_PANIC; s++) {
        CHECK(zoomlive_status_str(s) != NULL && strcmp(zoomlive_status_str(s), "unknown status") != 0, "code %d", s);
    }
}

static void test_null_arguments(void) {
    zoomlive_client *c = new_client(TOKEN);
    zoomlive_client *out = NULL;
    char buf[64];
    size_t needed;
    CHECK_STATUS(zoomlive_client_new(NULL, &out), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK(strstr(last_message(), "access_token") != NULL, "names the argument: %s", last_message());
    CHECK_STATUS(zoomlive_client_new(TOKEN, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_new_s2s(NULL, "c", "s", &out), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_new_s2s("a", NULL, "s", &out), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_new_s2s("a", "c", NULL, &out), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_new_s2s("a", "c", "s", NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK(out == NULL, "no output on failure");
    CHECK_STATUS(zoomlive_client_set_base_url(NULL, base_url), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_base_url(c, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_oauth_url(NULL, oauth_url), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_oauth_url(c, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_encoding(NULL, "json"), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_encoding(c, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_timeout_ms(NULL, 1000), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_connect_timeout_ms(NULL, 1000), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_max_retries(NULL, 1), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_token_cache_dir(NULL, "/tmp"), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_token_cache_dir(c, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_token_cache_dir(c, ""), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(NULL, "68423085", "start", NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, NULL, "start", NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", NULL, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_status(NULL, "91234567890", "start", NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, NULL, "start", NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", NULL, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    const char *u = "rtmp://a/b", *k = "key", *p = "https://e.x/p";
    CHECK_STATUS(zoomlive_meeting_livestream_update(NULL, "68423085", u, k, p, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, NULL, u, k, p, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", NULL, k, p, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", u, NULL, p, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", u, k, NULL, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_update(NULL, "91234567890", u, k, p, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_update(c, "91234567890", u, k, NULL, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_get(NULL, "68423085", buf, sizeof buf, &needed), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_get(c, NULL, buf, sizeof buf, &needed), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_get(c, NULL, buf, sizeof buf, &needed), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    /* The getters with a NULL buffer report the size needed. */
    zoomlive_meeting_livestream_status(c, NULL, "start", NULL);
    needed = 0;
    CHECK_STATUS(zoomlive_last_error_message(NULL, 0, &needed), ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed == strlen("meeting_id must not be NULL") + 1, "needed %zu", needed);
    CHECK_STATUS(zoomlive_last_error_message(NULL, 0, NULL), ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    zoomlive_client_free(NULL); /* a no-op */
    zoomlive_client_free(c);
}

static void test_invalid_input_sends_nothing(void) {
    zoomlive_client *c = new_client(TOKEN);
    zoomlive_client *out = NULL;
    char field[64];
    int before = request_count();
    const char bad_utf8[] = {'6', '8', (char)0xff, 0};
    const char seed_glued[] = "start{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}";
    CHECK_STATUS(zoomlive_client_new("token with spaces", &out), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "token with spaces") == NULL, "the token is never quoted");
    CHECK_STATUS(zoomlive_client_new(bad_utf8, &out), ZOOMLIVE_STATUS_INVALID_UTF8);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", seed_glued), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "JSON object") != NULL, "says why: %s", last_message());
    CHECK_STATUS(zoomlive_last_error_field(field, sizeof field, NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(field, "settings") == 0, "field %s", field);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, seed_glued, "start", NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", seed_glued, NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "123/../../users", "start", NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "18446744073709551616", "start", NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "", "start", NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, bad_utf8, "start", NULL), ZOOMLIVE_STATUS_INVALID_UTF8);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "pause", NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "start", "[1,2]"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", "aute", "auteofficia",
                                                    "auteofficiahttps://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi", NULL),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_last_error_field(field, sizeof field, NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(field, "page_url") == 0, "field %s", field);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", "rtmp://a/b\r\nX: y", "k", "https://e.x", NULL),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", "rtmp://a/b", "k", "https://e.x", "4k"),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_encoding(c, "xml"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 0), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_client_set_base_url(c, "http://api.zoom.us/v2"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(request_count() == before, "nothing was sent (%d -> %d)", before, request_count());
    zoomlive_client_free(c);
}

static void test_operations(const char *encoding) {
    zoomlive_client *c = new_client(TOKEN);
    char buf[512];
    size_t needed = 0;
    CHECK_STATUS(zoomlive_client_set_encoding(c, encoding), ZOOMLIVE_STATUS_OK);
    free(control("POST", "/_emulator/reset", NULL));
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", SEED_SETTINGS), ZOOMLIVE_STATUS_OK);
    CHECK(zoomlive_last_http_status() == 0 && zoomlive_last_zoom_code() == 0 && last_message()[0] == 0,
          "a success leaves no error behind");
    CHECK(log_contains("\"path\":\"/v2/meetings/68423085/livestream/status\""), "meeting status path");
    CHECK(log_contains("dolore ullamco irur"), "settings arrived");
    CHECK(log_contains(strcmp(encoding, "json") == 0 ? "\"encoding\":\"json\"" : "\"encoding\":\"multipart\""),
          "encoding %s", encoding);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "STOP", ""), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "start",
                                                    "{\"active_speaker_name\":true,\"display_name\":\"Zo\xc3\xab \xe2\x80\x93 caf\xc3\xa9 \xe2\x9c\x93\"}"),
                 ZOOMLIVE_STATUS_OK);
    CHECK(log_contains("/v2/webinars/91234567890/livestream/status"), "webinar path");
    CHECK(log_contains("Zo\xc3\xab \xe2\x80\x93 caf\xc3\xa9 \xe2\x9c\x93"), "UTF-8 display name intact");
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", "rtmp://a.rtmp.youtube.com/live2", "abcd-efgh-ijkl-mnop",
                                                    "https://example.com/live/68423085?x=a+b&y=c", "1080p"),
                 ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_webinar_livestream_update(c, "91234567890", "rtmp://w/live", "wk", "https://example.com/w", NULL),
                 ZOOMLIVE_STATUS_OK);
    /* Read back, first into a buffer that is too small. */
    CHECK_STATUS(zoomlive_meeting_livestream_get(c, "68423085", buf, 8, &needed), ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    CHECK(needed > 8 && needed < sizeof buf, "needed %zu", needed);
    CHECK_STATUS(zoomlive_meeting_livestream_get(c, "68423085", buf, needed, &needed), ZOOMLIVE_STATUS_OK);
    CHECK(strstr(buf, "\"stream_url\":\"rtmp://a.rtmp.youtube.com/live2\"") != NULL, "%s", buf);
    CHECK(strstr(buf, "\"resolution\":\"1080p\"") != NULL, "%s", buf);
    CHECK_STATUS(zoomlive_webinar_livestream_get(c, "91234567890", buf, sizeof buf, NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strstr(buf, "\"stream_key\":\"wk\"") != NULL, "%s", buf);
    CHECK(request_count() == 8, "8 requests (the too-small get was made too), got %d", request_count());
    /* A field Zoom did not send is null; an empty one stays "". */
    push_fault("{\"path\":\"/livestream\",\"status\":200,\"body\":\"{\\\"stream_url\\\":\\\"rtmp://x\\\",\\\"stream_key\\\":\\\"\\\"}\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_get(c, "68423085", buf, sizeof buf, NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strstr(buf, "\"page_url\":null") != NULL && strstr(buf, "\"resolution\":null") != NULL, "%s", buf);
    CHECK(strstr(buf, "\"stream_key\":\"\"") != NULL, "%s", buf);
    zoomlive_client_free(c);
}

static void test_error_statuses(void) {
    zoomlive_client *c = new_client(TOKEN);
    char small[8], tracking[128];
    size_t needed = 0;
    free(control("POST", "/_emulator/reset", NULL));

    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "12345678901", "start", NULL), ZOOMLIVE_STATUS_NOT_FOUND);
    CHECK(zoomlive_last_status() == ZOOMLIVE_STATUS_NOT_FOUND, "last status");
    CHECK(zoomlive_last_http_status() == 404, "http %d", zoomlive_last_http_status());
    CHECK(zoomlive_last_zoom_code() == 3001, "code %lld", (long long)zoomlive_last_zoom_code());
    CHECK_STATUS(zoomlive_last_error_message(small, sizeof small, &needed), ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    {
        char *msg = malloc(needed);
        CHECK(msg != NULL, "malloc");
        CHECK_STATUS(zoomlive_last_error_message(msg, needed, &needed), ZOOMLIVE_STATUS_OK);
        CHECK(strstr(msg, "3001") && strstr(msg, "Meeting does not exist: 12345678901."), "%s", msg);
        CHECK(strstr(msg, TOKEN) == NULL, "no token in the message");
        free(msg);
    }
    CHECK_STATUS(zoomlive_last_tracking_id(tracking, sizeof tracking, NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strncmp(tracking, "v=2.0;clid=emu", 14) == 0, "tracking %s", tracking);

    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", NULL), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", SEED_SETTINGS), ZOOMLIVE_STATUS_API_ERROR);
    CHECK(zoomlive_last_http_status() == 400 && zoomlive_last_zoom_code() == 3000, "settings while live");

    push_fault("{\"status\":500,\"body\":\"<html>oops</html>\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_API_ERROR);
    CHECK(zoomlive_last_http_status() == 500 && strstr(last_message(), "oops"), "%s", last_message());

    push_fault("{\"status\":429,\"code\":429,\"message\":\"retry after 30 seconds\",\"retry_after\":\"30\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_RATE_LIMITED);
    CHECK(zoomlive_last_retry_after_ms() == 30000, "retry after %lld", (long long)zoomlive_last_retry_after_ms());

    push_fault("{\"status\":429,\"code\":429,\"message\":\"slow down\",\"retry_after\":\"0\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);

    push_fault("{\"delay_ms\":3000}");
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 300), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_TIMEOUT);
    CHECK(zoomlive_last_http_status() == 0, "no answer");
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 30000), ZOOMLIVE_STATUS_OK);

    zoomlive_client *bad = new_client("wrong-token");
    CHECK_STATUS(zoomlive_meeting_livestream_status(bad, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(zoomlive_last_http_status() == 401, "http %d", zoomlive_last_http_status());
    CHECK(strstr(last_message(), "wrong-token") == NULL, "no token: %s", last_message());
    zoomlive_client_free(bad);

    zoomlive_client *closed = NULL;
    CHECK_STATUS(zoomlive_client_new(TOKEN, &closed), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(closed, "http://127.0.0.1:9/v2"), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(closed, "68423085", "stop", NULL), ZOOMLIVE_STATUS_TRANSPORT);
    zoomlive_client_free(closed);
    zoomlive_client_free(c);
}

static void test_server_to_server(void) {
    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new_s2s("demo-account", "demo-client", "demo-secret", &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_oauth_url(c, oauth_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    zoomlive_client_free(c);
    CHECK_STATUS(zoomlive_client_new_s2s("demo-account", "demo-client", "wrong-secret", &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_oauth_url(c, oauth_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(strstr(last_message(), "invalid_client") && !strstr(last_message(), "wrong-secret"), "%s", last_message());
    zoomlive_client_free(c);
}

/* Threads share one client; each checks that its last error is its own. */
#define THREADS 4
#define CALLS 10
static zoomlive_client *shared;
static int thread_failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    int n = *(int *)arg, bad = 0;
    char id[32], msg[512];
    snprintf(id, sizeof id, "99900000%d", n);
    for (int i = 0; i < CALLS; i++) {
        if (zoomlive_meeting_livestream_status(shared, "68423085", "stop", NULL) != ZOOMLIVE_STATUS_OK) bad++;
        if (zoomlive_meeting_livestream_status(shared, id, "stop", NULL) != ZOOMLIVE_STATUS_NOT_FOUND) bad++;
        if (zoomlive_last_error_message(msg, sizeof msg, NULL) != ZOOMLIVE_STATUS_OK || !strstr(msg, id)) bad++;
    }
    pthread_mutex_lock(&lock);
    thread_failures += bad;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void test_threads(void) {
    pthread_t t[THREADS];
    int ids[THREADS];
    shared = new_client(TOKEN);
    free(control("POST", "/_emulator/reset", NULL));
    for (int i = 0; i < THREADS; i++) {
        ids[i] = i;
        CHECK(pthread_create(&t[i], NULL, worker, &ids[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    CHECK(thread_failures == 0, "%d thread failures", thread_failures);
    CHECK(request_count() == THREADS * CALLS * 2, "requests %d", request_count());
    zoomlive_client_free(shared);
}

/* A copied-out getter's text (two-step protocol: size first, then the text). */
static const char *getter_text(zoomlive_status (ZOOMLIVE_CALL *getter)(char *, size_t, size_t *)) {
    static char buf[512];
    size_t needed = 0;
    zoomlive_status s = getter(NULL, 0, &needed);
    CHECK(s == ZOOMLIVE_STATUS_BUFFER_TOO_SMALL && needed >= 1, "size first: %d %zu", s, needed);
    CHECK_STATUS(getter(buf, sizeof buf, &needed), ZOOMLIVE_STATUS_OK);
    CHECK(needed == strlen(buf) + 1, "needed %zu for %s", needed, buf);
    return buf;
}

/* Issue 11: encoding "auto", errors by Zoom code, rate limits read fully, webinar settings. */
static void test_zoom_behaviour(void) {
    zoomlive_client *c = new_client(TOKEN);
    free(control("POST", "/_emulator/reset", NULL));

    /* auto (the default): a 415 to multipart, the same call once more as JSON, then JSON. */
    CHECK_STATUS(zoomlive_client_set_encoding(c, "xml"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "auto") != NULL, "%s", last_message());
    push_fault("{\"status\":415,\"code\":300,\"message\":\"Unsupported Content Type\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    CHECK(request_count() == 3, "415, JSON resend, JSON: %d", request_count());
    CHECK(log_count("\"encoding\":\"json\"") == 2, "two JSON bodies");
    /* Another setter rebuilds the client: it still remembers Zoom refused multipart. */
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 20000), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    CHECK(log_count("\"encoding\":\"json\"") == 3 && request_count() == 4, "still JSON");
    CHECK_STATUS(zoomlive_client_set_encoding(c, "multipart"), ZOOMLIVE_STATUS_OK);
    push_fault("{\"status\":415,\"code\":300,\"message\":\"Unsupported Content Type\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_API_ERROR);
    CHECK(zoomlive_last_http_status() == 415 && zoomlive_last_zoom_code() == 300, "multipart never falls back");
    CHECK_STATUS(zoomlive_client_set_encoding(c, "auto"), ZOOMLIVE_STATUS_OK);

    /* Scope errors: auth, with the scopes comma-joined. */
    push_fault("{\"scopes\":[\"meeting:write:admin\",\"meeting:write\"]}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(zoomlive_last_zoom_code() == 4700, "code %lld", (long long)zoomlive_last_zoom_code());
    CHECK(strcmp(getter_text(zoomlive_last_missing_scopes), "meeting:write:admin,meeting:write") == 0,
          "scopes");
    CHECK(strstr(last_message(), "add these scopes") != NULL, "%s", last_message());
    CHECK(strcmp(getter_text(zoomlive_last_rate_limit), "") == 0, "no rate-limit headers");
    push_fault("{\"scopes\":[\"webinar:write:admin\"],\"code\":4711}");
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(strcmp(getter_text(zoomlive_last_missing_scopes), "webinar:write:admin") == 0, "4711 scopes");

    /* Code 124 on a 400: auth (a static token cannot be refreshed). */
    push_fault("{\"status\":400,\"code\":124,\"message\":\"Invalid access token.\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_AUTH);
    CHECK(strcmp(getter_text(zoomlive_last_missing_scopes), "") == 0, "no scopes");

    /* Webinar 3001 and 1001 come as HTTP 400: not found. */
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "99999999999", "stop", NULL), ZOOMLIVE_STATUS_NOT_FOUND);
    CHECK(zoomlive_last_http_status() == 400 && zoomlive_last_zoom_code() == 3001, "webinar 3001");
    push_fault("{\"missing_user\":\"abc\"}");
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "stop", NULL), ZOOMLIVE_STATUS_NOT_FOUND);
    CHECK(zoomlive_last_http_status() == 400 && zoomlive_last_zoom_code() == 1001, "user 1001");

    /* A 429 whose message states the wait: that wait, returned at once, not retried. */
    int before = request_count();
    push_fault("{\"status\":429,\"code\":429,\"message\":\"Retry making a new request after 30 seconds.\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", NULL), ZOOMLIVE_STATUS_RATE_LIMITED);
    CHECK(zoomlive_last_retry_after_ms() == 30000, "stated wait %lld", (long long)zoomlive_last_retry_after_ms());
    CHECK(request_count() == before + 1, "not retried");
    CHECK(strcmp(getter_text(zoomlive_last_rate_limit), "") == 0, "no headers sent");

    /* ISO 8601 Retry-After and the rate-limit headers, absent ones left empty. */
    push_fault("{\"status\":429,\"code\":429,\"message\":\"Too many requests.\",\"retry_after\":\"iso:+30\","
               "\"headers\":{\"X-RateLimit-Type\":\"QPS\",\"X-RateLimit-Limit\":\"30\",\"X-RateLimit-Remaining\":\"0\"}}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_RATE_LIMITED);
    CHECK(zoomlive_last_retry_after_ms() > 27000 && zoomlive_last_retry_after_ms() <= 30000, "iso %lld",
          (long long)zoomlive_last_retry_after_ms());
    CHECK(strcmp(getter_text(zoomlive_last_rate_limit), "QPS;;30;0") == 0, "%s",
          getter_text(zoomlive_last_rate_limit));

    /* A daily limit: never retried, says when it resets. */
    before = request_count();
    push_fault("{\"daily_limit\":true}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_RATE_LIMITED);
    CHECK(request_count() == before + 1, "daily limit not retried");
    CHECK(strncmp(getter_text(zoomlive_last_rate_limit), "Daily-limit;Light;", 18) == 0, "%s",
          getter_text(zoomlive_last_rate_limit));
    CHECK(strstr(last_message(), "daily limit; it resets in") != NULL, "%s", last_message());

    /* Webinars take no layout or close_caption: refused before sending. */
    before = request_count();
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "start", "{\"layout\":\"gallery\"}"),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "meetings only") != NULL, "%s", last_message());
    CHECK_STATUS(zoomlive_webinar_livestream_status(c, "91234567890", "start", "{\"close_caption\":\"burnt-in\"}"),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(request_count() == before, "nothing sent");

    /* A successful call clears the new getters too. */
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(getter_text(zoomlive_last_rate_limit), "") == 0, "cleared");
    CHECK(strcmp(getter_text(zoomlive_last_missing_scopes), "") == 0, "cleared");
    zoomlive_client_free(c);

    /* Code 124 with an OAuth client: one new token, one retry. */
    zoomlive_client *s2s = NULL;
    CHECK_STATUS(zoomlive_client_new_s2s("demo-account", "demo-client", "demo-secret", &s2s), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(s2s, base_url), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_oauth_url(s2s, oauth_url), ZOOMLIVE_STATUS_OK);
    push_fault("{\"path\":\"/livestream\",\"status\":400,\"code\":124,\"message\":\"Invalid access token.\"}");
    CHECK_STATUS(zoomlive_meeting_livestream_status(s2s, "68423085", "stop", NULL), ZOOMLIVE_STATUS_OK);
    zoomlive_client_free(s2s);
}

int main(int argc, char **argv) {
    if (!parse_url_arg(argc, argv)) return 2;
    test_version_and_status_names();
    test_null_arguments();
    test_invalid_input_sends_nothing();
    test_operations("multipart");
    test_operations("json");
    test_error_statuses();
    test_server_to_server();
    test_zoom_behaviour();
    test_threads();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
