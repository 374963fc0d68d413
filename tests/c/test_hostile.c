/*
 * Hostile servers from C (issue 10 §1): tests/common/echo_server.py echoes each request
 * (Authorization, body with the stream key, decoded Basic credential) in one response
 * shape per path prefix; no secret, nor an 8-character prefix of one, may reach any
 * zoomlive_last_* text, and no bidi control, zero-width character or ESC either.
 * Usage: test_hostile ECHO_URL
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

#define H_TOKEN "eyJhbGciOiJIUzI1NiJ9.HOSTILE-TOKEN-abcdef0123456789"
#define H_STREAM_KEY "live-key-9f8e7d6c5b4a"
#define H_CLIENT_ID "cid-hostile-77"
#define H_CLIENT_SECRET "csecret-hostile-42"
/* base64("cid-hostile-77:csecret-hostile-42") */
#define H_BASIC "Y2lkLWhvc3RpbGUtNzc6Y3NlY3JldC1ob3N0aWxlLTQy"

static const char *secrets[] = {H_TOKEN, H_STREAM_KEY, H_CLIENT_SECRET, H_BASIC,
                                H_CLIENT_ID ":" H_CLIENT_SECRET};
static const char *invisible[] = {"\xe2\x80\xae" /* U+202E */, "\xe2\x81\xa6" /* U+2066 */,
                                  "\xe2\x80\x8b" /* U+200B */, "\xef\xbb\xbf" /* U+FEFF */,
                                  "\x1b"};
static char echo_url[200];

typedef zoomlive_status (*getter)(char *, size_t, size_t *);

/* One getter's text (two-call protocol: size first, then the text). */
static char *get_text(getter g) {
    size_t needed = 0;
    char probe[1];
    zoomlive_status s = g(probe, 0, &needed);
    if (s == ZOOMLIVE_STATUS_OK) return strdup("");
    CHECK(s == ZOOMLIVE_STATUS_BUFFER_TOO_SMALL, "probe status %d", s);
    char *buf = malloc(needed ? needed : 1);
    CHECK(buf && g(buf, needed, &needed) == ZOOMLIVE_STATUS_OK, "getter copy");
    return buf;
}

static void check_clean(const char *shape, const char *what, const char *text) {
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++) {
        char prefix[9];
        memcpy(prefix, secrets[i], 8);
        prefix[8] = '\0';
        CHECK(!strstr(text, prefix), "%s: %s holds %s: %s", shape, what, prefix, text);
    }
    for (size_t i = 0; i < sizeof invisible / sizeof *invisible; i++) {
        CHECK(!strstr(text, invisible[i]), "%s: %s holds a non-printing character %zu: %s",
              shape, what, i, text);
    }
}

/* Every text getter after a failed call. */
static void check_last_error(const char *shape, zoomlive_status s) {
    CHECK(s != ZOOMLIVE_STATUS_OK && s != ZOOMLIVE_STATUS_PANIC, "%s: status %d", shape, s);
    struct {
        const char *name;
        getter g;
    } getters[] = {{"message", zoomlive_last_error_message},
                   {"field", zoomlive_last_error_field},
                   {"tracking id", zoomlive_last_tracking_id},
                   {"missing scopes", zoomlive_last_missing_scopes},
                   {"rate limit", zoomlive_last_rate_limit},
                   {"trace", zoomlive_last_trace}};
    for (size_t i = 0; i < sizeof getters / sizeof *getters; i++) {
        char *text = get_text(getters[i].g);
        if (text) check_clean(shape, getters[i].name, text);
        free(text);
    }
    CHECK(zoomlive_status_str(s) != NULL, "status name");
}

static void test_shape(const char *shape) {
    char base[300], oauth[300];
    snprintf(base, sizeof base, "%s/%s/v2", echo_url, shape);
    snprintf(oauth, sizeof oauth, "%s/%s/oauth/token", echo_url, shape);

    zoomlive_client *c = NULL;
    CHECK_STATUS(zoomlive_client_new(H_TOKEN, &c), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_max_retries(c, 0), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_timeout_ms(c, 10000), ZOOMLIVE_STATUS_OK);
    /* The update sends the stream key; the echo carries it and the token. */
    check_last_error(shape, zoomlive_meeting_livestream_update(
                                c, "68423085", "rtmp://a/live2", H_STREAM_KEY,
                                "https://example.com/live", NULL));
    /* A later call still scrubs the key the client sent before. */
    check_last_error(shape, zoomlive_meeting_livestream_status(c, "68423085", "start", NULL));
    check_last_error(shape, zoomlive_webinar_livestream_status(c, "91234567890", "stop", NULL));
    zoomlive_client_free(c);

    /* Server-to-Server: the OAuth endpoint echoes its request (the Basic credential). */
    c = NULL;
    CHECK_STATUS(zoomlive_client_new_s2s("acct-9", H_CLIENT_ID, H_CLIENT_SECRET, &c),
                 ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_base_url(c, base), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_oauth_url(c, oauth), ZOOMLIVE_STATUS_OK);
    CHECK_STATUS(zoomlive_client_set_max_retries(c, 0), ZOOMLIVE_STATUS_OK);
    zoomlive_status s = zoomlive_meeting_livestream_update(
        c, "68423085", "rtmp://a/live2", H_STREAM_KEY, "https://example.com/live", "1080p");
    CHECK(s == ZOOMLIVE_STATUS_AUTH || (s == ZOOMLIVE_STATUS_RATE_LIMITED && !strcmp(shape, "headers")),
          "%s: OAuth refused: %s", shape, zoomlive_status_str(s));
    check_last_error(shape, s);
    zoomlive_client_free(c);
}

/* Every log record zoomlive makes while the hostile servers answer is checked too. */
static int log_lines;
static void ZOOMLIVE_CALL on_log(int32_t level, const char *line, void *user_data) {
    (void)level;
    (void)user_data;
    log_lines++;
    check_clean("log", "record", line);
}

int main(int argc, char **argv) {
    CHECK_STATUS(zoomlive_set_log_callback(on_log, NULL), ZOOMLIVE_STATUS_OK);
    if (argc < 2 || strlen(argv[1]) >= sizeof echo_url) {
        fprintf(stderr, "usage: %s ECHO_URL\n", argv[0]);
        return 2;
    }
    snprintf(echo_url, sizeof echo_url, "%s", argv[1]);
    const char *shapes[] = {"json", "errors", "xml", "plain", "headers", "oauth", "huge", "bidi"};
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) test_shape(shapes[i]);
    CHECK(log_lines > 100, "the log callback saw the calls: %d records", log_lines);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
