/*
 * zoomlive_batch_file from C, as a FoxPro or SQL Server job calls it: a CSV in (the
 * way FoxPro's COPY TO ... TYPE CSV writes it), a results CSV out, the status and
 * zoomlive_last_batch_counts afterwards; a bad row refused before anything is sent;
 * a journal resumed without sending twice.
 */
#include "test_support.h"

#define MEETING "68423085"
#define WEBINAR "91234567890"

static char dir[256];

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static char *read_file(const char *path) {
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static const char *counts(void) {
    static char buf[64];
    size_t needed = 0;
    if (zoomlive_last_batch_counts(buf, sizeof buf, &needed) != ZOOMLIVE_STATUS_OK) return "?";
    return buf;
}

static void test_a_foxpro_csv_runs(void) {
    free(control("POST", "/_emulator/reset", NULL));
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/streams.csv", dir);
    snprintf(out, sizeof out, "%s/results.csv", dir);
    /* COPY TO streams.csv TYPE CSV: quoted text, T/F, every column, CRLF, 0x1A. */
    write_file(in,
               "op,kind,id,display_name,active_speaker_name,layout,key\r\n"
               "\"start\",\"meeting\"," MEETING ",\"Caf\xe9 live\",T,\"\",\"r1\"\r\n"
               "\"stop\",\"meeting\"," MEETING ",\"\",\"\",\"\",\"r2\"\r\n"
               "\"get\",\"webinar\"," WEBINAR ",\"\",\"\",\"\",\"r3\"\r\n"
               "\"start\",\"meeting\",999,\"\",F,\"\",\"r4\"\r\n\x1a");
    zoomlive_client *c = new_client(TOKEN);
    CHECK_STATUS(zoomlive_batch_file(c, in, out, "{\"rate\":100}"), ZOOMLIVE_STATUS_BATCH_FAILED);
    CHECK(strcmp(counts(), "3;1;0;0") == 0, "counts %s", counts());
    CHECK(strstr(last_message(), "3 ok, 1 failed") != NULL, "%s", last_message());
    const char *text = read_file(out);
    CHECK(text != NULL, "no results file");
    if (text) {
        const char *header = "index,key,op,kind,id,outcome,http_status,zoom_code,error_kind,"
                             "message,tracking_id,attempts,ms,resume_at\r\n";
        CHECK(strncmp(text, header, strlen(header)) == 0, "%s", text);
        CHECK(strstr(text, "\r\n4,r4,start,meeting,999,failed,404,3001,not_found,") != NULL, "%s", text);
        CHECK(strstr(text, "\r\n1,r1,start,meeting," MEETING ",ok,") != NULL, "%s", text);
        CHECK(strstr(text, TOKEN) == NULL, "token in results");
    }
    CHECK(log_contains("Caf\xc3\xa9 live"), "the Windows-1252 name reached Zoom as UTF-8");
    zoomlive_client_free(c);
}

static void test_a_bad_row_sends_nothing(void) {
    free(control("POST", "/_emulator/reset", NULL));
    char in[300], out[300];
    snprintf(in, sizeof in, "%s/bad.csv", dir);
    snprintf(out, sizeof out, "%s/bad-results.csv", dir);
    remove(out);
    write_file(in, "op,kind,id\r\nstart,meeting," MEETING "\r\nbegin,meeting," MEETING "\r\n");
    zoomlive_client *c = new_client(TOKEN);
    CHECK_STATUS(zoomlive_batch_file(c, in, out, NULL), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(last_message(), "(row 2)") != NULL, "%s", last_message());
    CHECK(strcmp(counts(), "0;0;0;0") == 0, "counts %s", counts());
    CHECK(read_file(out) == NULL, "a results file was written");
    CHECK(request_count() == 0, "%d requests sent", request_count());
    CHECK_STATUS(zoomlive_batch_file(c, in, out, "{\"rate\":0}"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_batch_file(c, in, out, "{\"bogus\":1}"), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(zoomlive_batch_file(NULL, in, out, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_batch_file(c, NULL, out, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_batch_file(c, in, NULL, NULL), ZOOMLIVE_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(zoomlive_last_batch_counts(NULL, 0, NULL), ZOOMLIVE_STATUS_BUFFER_TOO_SMALL);
    zoomlive_client_free(c);
}

static void test_a_journal_is_resumed(void) {
    free(control("POST", "/_emulator/reset", NULL));
    char in[300], out[300], journal[300], options[700];
    snprintf(in, sizeof in, "%s/j.csv", dir);
    snprintf(out, sizeof out, "%s/j-results.json", dir);
    snprintf(journal, sizeof journal, "%s/j.jsonl", dir);
    remove(journal);
    write_file(in, "op,kind,id\r\nstart,meeting," MEETING "\r\nstop,meeting," MEETING "\r\n");
    zoomlive_client *c = new_client(TOKEN);
    snprintf(options, sizeof options, "{\"journal\":\"%s\",\"rate\":100}", journal);
    CHECK_STATUS(zoomlive_batch_file(c, in, out, options), ZOOMLIVE_STATUS_OK);
    CHECK(strcmp(counts(), "2;0;0;0") == 0, "counts %s", counts());
    const char *text = read_file(out);
    CHECK(text && text[0] == '[', "a JSON results file: %s", text ? text : "(none)");
    /* Again without resume: refused; with resume: nothing sent twice. */
    CHECK_STATUS(zoomlive_batch_file(c, in, out, options), ZOOMLIVE_STATUS_INVALID_ARGUMENT);
    snprintf(options, sizeof options, "{\"journal\":\"%s\",\"resume\":true}", journal);
    CHECK_STATUS(zoomlive_batch_file(c, in, out, options), ZOOMLIVE_STATUS_OK);
    CHECK(request_count() == 2, "%d requests", request_count());
    zoomlive_client_free(c);
}

int main(int argc, char **argv) {
    if (!parse_url_arg(argc, argv)) return 2;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/zoomlive-c-batch-%d", tmp ? tmp : "/tmp", (int)getpid());
    char mk[300];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
    if (system(mk) != 0) return 2;
    test_a_foxpro_csv_runs();
    test_a_bad_row_sends_nothing();
    test_a_journal_is_resumed();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
