/* The C one-shot client of `make bench`'s TLS rows (benches/tls_bench.py): what a
 * FoxPro form does per call: create a client, make one call, free it, exit.
 *
 *   once BASE_URL CA_FILE bearer
 *   once BASE_URL CA_FILE s2s OAUTH_URL
 *
 * Exit status 0 when the call succeeded; else the error message on stderr. */
#include <stdio.h>
#include <string.h>

#include "zoomlive.h"

#define TOKEN "eyJhbGciOiJIUzI1NiJ9.FAKE-ZOOM-TOKEN-0123456789abcdef"
#define SETTINGS "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}"

static int fail(const char *what) {
    char msg[512];
    size_t needed = 0;
    if (zoomlive_last_error_message(msg, sizeof msg, &needed) != ZOOMLIVE_STATUS_OK) {
        msg[0] = '\0';
    }
    fprintf(stderr, "once: %s: %s\n", what, msg);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 4 || (strcmp(argv[3], "s2s") == 0 && argc < 5)) {
        fprintf(stderr, "usage: once BASE_URL CA_FILE bearer|s2s [OAUTH_URL]\n");
        return 2;
    }
    zoomlive_client *c = NULL;
    int s2s = strcmp(argv[3], "s2s") == 0;
    zoomlive_status s = s2s ? zoomlive_client_new_s2s("acct", "cid", "bench-secret", &c)
                            : zoomlive_client_new(TOKEN, &c);
    if (s != ZOOMLIVE_STATUS_OK) {
        return fail("new");
    }
    int rc = 0;
    if (zoomlive_client_set_base_url(c, argv[1]) != ZOOMLIVE_STATUS_OK ||
        zoomlive_client_set_extra_ca_file(c, argv[2]) != ZOOMLIVE_STATUS_OK ||
        (s2s && zoomlive_client_set_oauth_url(c, argv[4]) != ZOOMLIVE_STATUS_OK)) {
        rc = fail("setup");
    } else if (zoomlive_meeting_livestream_status(c, "68423085", "start", SETTINGS) !=
               ZOOMLIVE_STATUS_OK) {
        rc = fail("call");
    }
    zoomlive_client_free(c);
    return rc;
}
