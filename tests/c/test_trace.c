/*
 * The trace from C (issue 19): zoomlive_last_trace after a success and a failure, ""
 * after an argument refused before anything ran, the log callback (one debug line per
 * event, one info line per call, user_data passed back, NULL turns it off) and
 * zoomlive_doctor's JSON. Usage: test_trace EMULATOR_URL
 */
#define _POSIX_C_SOURCE 200809L
#include "test_support.h"

static char *trace_text(void) {
    size_t needed = 0;
    char probe[1];
    zoomlive_status s = zoomlive_last_trace(probe, 0, &needed);
    if (s == ZOOMLIVE_STATUS_OK) return strdup("");
    CHECK(s == ZOOMLIVE_STATUS_BUFFER_TOO_SMALL, "probe status %d", s);
    char *buf = malloc(needed);
    CHECK(buf && zoomlive_last_trace(buf, needed, &needed) == ZOOMLIVE_STATUS_OK, "copy");
    return buf;
}

struct captured {
    int debug, info, other;
    char last_debug[512];
    int clean;
};

static void ZOOMLIVE_CALL on_log(int32_t level, const char *line, void *user_data) {
    struct captured *c = user_data;
    if (level == 4) {
        c->debug++;
        snprintf(c->last_debug, sizeof c->last_debug, "%s", line);
    } else if (level == 3) {
        c->info++;
    } else {
        c->other++;
    }
    if (strstr(line, TOKEN)) c->clean = 0;
}

static void test_last_trace(void) {
    zoomlive_client *c = new_client(TOKEN);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", SEED_SETTINGS),
                 ZOOMLIVE_STATUS_OK);
    char *t = trace_text();
    CHECK(strstr(t, " config base_url=") != NULL, "config line: %s", t);
    CHECK(strstr(t, " request PATCH /v2/meetings/68423085/livestream/status") != NULL, "%s", t);
    CHECK(strstr(t, " header Authorization: Bearer <redacted>\n") != NULL, "%s", t);
    CHECK(strstr(t, " field settings size=") != NULL, "%s", t);
    CHECK(strstr(t, " answer 204 ") != NULL, "%s", t);
    CHECK(strstr(t, " outcome ok total_ms=") != NULL, "%s", t);
    CHECK(!strstr(t, TOKEN), "no token in the trace");
    free(t);

    /* A failure: the trace says what Zoom answered. */
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "1234", "start", NULL),
                 ZOOMLIVE_STATUS_NOT_FOUND);
    t = trace_text();
    CHECK(strstr(t, " answer 404 ") && strstr(t, " outcome failed kind=not_found"), "%s", t);
    free(t);

    /* Refused before anything ran: "". The reader does not clear it either. */
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "12x", "start", NULL),
                 ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    t = trace_text();
    CHECK(!strcmp(t, ""), "empty after a refused argument: %s", t);
    free(t);
    CHECK_STATUS(zoomlive_last_status(), ZOOMLIVE_STATUS_INVALID_ARGUMENT);

    /* A GET's trace shows the answer with the stream key scrubbed. */
    CHECK_STATUS(zoomlive_meeting_livestream_update(c, "68423085", "rtmp://a/live", "C-key-5150",
                                                   "https://e.example/p", NULL),
                 ZOOMLIVE_STATUS_OK);
    char json[1024];
    CHECK_STATUS(zoomlive_meeting_livestream_get(c, "68423085", json, sizeof json, NULL),
                 ZOOMLIVE_STATUS_OK);
    t = trace_text();
    CHECK(strstr(t, " answer-body ") && !strstr(t, "C-key-5150"), "%s", t);
    free(t);
    zoomlive_client_free(c);
}

static void test_log_callback(void) {
    struct captured cap = {0, 0, 0, "", 1};
    CHECK_STATUS(zoomlive_set_log_callback(on_log, &cap), ZOOMLIVE_STATUS_OK);
    zoomlive_client *c = new_client(TOKEN);
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL),
                 ZOOMLIVE_STATUS_OK);
    char *t = trace_text();
    int lines = 0;
    for (const char *p = t; *p; p++) lines += *p == '\n';
    CHECK(cap.debug == lines, "one debug record per event: %d of %d", cap.debug, lines);
    CHECK(cap.info == 1 && cap.other == 0, "one info line: %d, others %d", cap.info, cap.other);
    CHECK(strstr(cap.last_debug, " outcome ok") != NULL, "last: %s", cap.last_debug);
    CHECK(cap.clean, "no token in a log line");
    free(t);
    /* NULL turns it off. */
    CHECK_STATUS(zoomlive_set_log_callback(NULL, NULL), ZOOMLIVE_STATUS_OK);
    int before = cap.debug;
    CHECK_STATUS(zoomlive_meeting_livestream_status(c, "68423085", "start", NULL),
                 ZOOMLIVE_STATUS_OK);
    CHECK(cap.debug == before, "no record after NULL");
    zoomlive_client_free(c);
}

static void test_doctor(void) {
    zoomlive_client *c = new_client(TOKEN);
    size_t needed = 0;
    char small[4];
    CHECK_STATUS(zoomlive_doctor(c, small, sizeof small, &needed),
                 ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    char *json = malloc(needed);
    CHECK_STATUS(zoomlive_doctor(c, json, needed, &needed), ZOOMLIVE_STATUS_OK);
    CHECK(json[0] == '[' && strstr(json, "\"check\":\"proxy 127.0.0.1\"") &&
              strstr(json, "\"check\":\"token\",\"status\":\"ok\""),
          "doctor JSON: %s", json);
    CHECK(!strstr(json, TOKEN), "no token in the doctor's JSON");
    free(json);
    CHECK_STATUS(zoomlive_doctor(NULL, small, sizeof small, &needed),
                 ZOOMLIVE_STATUS_NULL_ARGUMENT);
    /* A host that answers nothing: the TCP check fails, and so does the call. */
    CHECK_STATUS(zoomlive_client_set_base_url(c, "http://127.0.0.1:9/v2"), ZOOMLIVE_STATUS_OK);
    char out[8192];
    CHECK_STATUS(zoomlive_doctor(c, out, sizeof out, NULL), ZOOMLIVE_STATUS_API_ERROR);
    CHECK(strstr(out, "\"status\":\"fail\"") != NULL, "a failed check: %s", out);
    zoomlive_client_free(c);
}

int main(int argc, char **argv) {
    if (!parse_url_arg(argc, argv)) return 2;
    test_last_trace();
    test_log_callback();
    test_doctor();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
