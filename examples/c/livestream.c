/*
 * zoomlive from C: the three operations of the Chilkat seeds, in one program.
 *
 * Replaces no single seed (the legacy programs examples/README.md describes): it
 * performs, through the C ABI, what
 *   004 (Delphi)                           PATCH /v2/meetings/:meetingId/livestream
 *   001/002/003 (C#, Ruby, SQL Server)     PATCH /v2/meetings/:meetingId/livestream/status
 *   000 (FoxPro)                           PATCH /v2/webinars/:webinarId/livestream/status
 * do, with the values the seeds meant to send (their Postman JSON), and shows what
 * the seeds show on failure: the HTTP status, Zoom's answer, then "Failed.".
 *
 * Build (from the repository root, after `cargo build`):
 *   cc -std=c99 -Wall -Iinclude examples/c/livestream.c -Ltarget/debug -lzoomlive \
 *      -Wl,-rpath,"$PWD/target/debug" -o livestream
 * Run:
 *   ZOOM_ACCESS_TOKEN=... ./livestream [meeting_id [webinar_id]]
 * ZOOM_BASE_URL points it at another API base URL, such as the emulator's
 * (`zoomlive emulator` prints it; add /v2).
 */
#include <stdio.h>
#include <stdlib.h>

#include "zoomlive.h"

/* Prints what went wrong in the last call, like the seeds' failure branch, and
 * returns 1 (the exit status). */
static int failed(const char *what, zoomlive_status status)
{
    char message[1024];
    char tracking[256] = "";
    size_t needed = 0;

    printf("%s: %s\n", what, zoomlive_status_str(status));
    if (zoomlive_last_http_status() != 0) {
        /* Zoom answered: the seeds print the status code, header and body here. */
        printf("Response Status Code = %d\n", (int)zoomlive_last_http_status());
        printf("Zoom error code = %lld\n", (long long)zoomlive_last_zoom_code());
        if (zoomlive_last_tracking_id(tracking, sizeof tracking, NULL) == ZOOMLIVE_STATUS_OK
            && tracking[0] != '\0')
            printf("Tracking id = %s\n", tracking);
    }
    /* The seeds print LastErrorText; ours never holds the token. */
    if (zoomlive_last_error_message(message, sizeof message, &needed) == ZOOMLIVE_STATUS_OK)
        printf("%s\n", message);
    else
        printf("(error message of %zu bytes does not fit)\n", needed);
    printf("Failed.\n");
    return 1;
}

int main(int argc, char **argv)
{
    const char *token = getenv("ZOOM_ACCESS_TOKEN");
    const char *base_url = getenv("ZOOM_BASE_URL");
    const char *meeting_id = argc > 1 ? argv[1] : "68423085";
    const char *webinar_id = argc > 2 ? argv[2] : "91234567890";
    zoomlive_client *client = NULL;
    zoomlive_status status;
    int rc = 0;

    if (token == NULL || token[0] == '\0') {
        fprintf(stderr, "set ZOOM_ACCESS_TOKEN\n");
        return 2;
    }
    status = zoomlive_client_new(token, &client);
    if (status != ZOOMLIVE_STATUS_OK)
        return failed("zoomlive_client_new", status);
    if (base_url != NULL && base_url[0] != '\0') {
        status = zoomlive_client_set_base_url(client, base_url);
        if (status != ZOOMLIVE_STATUS_OK) {
            rc = failed("zoomlive_client_set_base_url", status);
            goto done;
        }
    }

    /* Seed 004: where the meeting streams to. */
    status = zoomlive_meeting_livestream_update(client, meeting_id, "aute", "officia",
                                                "https://IBrRnEbZoeJwPd.ixq+PqOQQZC-z42EWi",
                                                NULL);
    if (status != ZOOMLIVE_STATUS_OK) {
        rc = failed("update meeting live stream", status);
        goto done;
    }
    printf("meeting %s: live stream updated\n", meeting_id);

    /* Seeds 001-003: start the meeting's live stream with its settings. */
    status = zoomlive_meeting_livestream_status(
        client, meeting_id, "start",
        "{\"active_speaker_name\":false,\"display_name\":\"dolore ullamco irur\"}");
    if (status != ZOOMLIVE_STATUS_OK) {
        rc = failed("start meeting live stream", status);
        goto done;
    }
    printf("meeting %s: live stream started\n", meeting_id);

    /* Seed 000: start the webinar's live stream with its settings. */
    status = zoomlive_webinar_livestream_status(
        client, webinar_id, "start",
        "{\"active_speaker_name\":false,\"display_name\":\"reprehender\"}");
    if (status != ZOOMLIVE_STATUS_OK) {
        rc = failed("start webinar live stream", status);
        goto done;
    }
    printf("webinar %s: live stream started\n", webinar_id);
    printf("Success.\n");

done:
    zoomlive_client_free(client);
    return rc;
}
