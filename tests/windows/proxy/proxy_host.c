/*
 * The Windows system proxy settings under Wine (issue 18 §4), run by
 * tests/windows/proxy/run.sh for the 32- and 64-bit DLLs:
 *
 *   proxy_host.exe API_URL CA_PEM SOURCE PROXY [--no-system]
 *   proxy_host.exe API_URL CA_PEM explicit PROXY --auth SCHEME USER PASSWORD [--refused]
 *
 * The host program sets nothing about proxies (only the API URL and the tests' CA, or
 * the system switch with --no-system): it asks zoomlive_client_proxy_for which proxy
 * API_URL goes through, checks its source starts with SOURCE and its proxy is PROXY
 * ("-" for direct), then makes a call. With a proxy the call must succeed (the API's
 * name resolves only in the proxy); direct, it must fail as a transport error. With
 * --auth, PROXY and the credentials are set explicitly and the proxy's 407 is answered
 * with SCHEME (ntlm, negotiate: Windows' SSPI); --refused expects
 * ZOOMLIVE_STATUS_PROXY_AUTH.
 * Prints "ok - ..." / "not ok - ..." lines; exits 1 when anything failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zoomlive.h"

static int failed;

static void check(int ok, const char *what, const char *detail) {
    printf("%s - %s%s%s\n", ok ? "ok" : "not ok", what, detail ? ": " : "", detail ? detail : "");
    if (!ok) failed = 1;
}

static const char *last(void) {
    static char buf[2048];
    if (zoomlive_last_error_message(buf, sizeof buf, NULL) != ZOOMLIVE_STATUS_OK) return "";
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: proxy_host API_URL CA_PEM SOURCE PROXY|- [--no-system]\n");
        return 2;
    }
    const char *api = argv[1], *ca = argv[2], *source = argv[3], *proxy = argv[4];
    int no_system = argc > 5 && strcmp(argv[5], "--no-system") == 0;
    int with_auth = argc > 8 && strcmp(argv[5], "--auth") == 0;
    int refused = argc > 9 && strcmp(argv[9], "--refused") == 0;
    zoomlive_client *c = NULL;
    check(zoomlive_client_new("eyJ-wine-proxy-token", &c) == ZOOMLIVE_STATUS_OK, "client", last());
    check(zoomlive_client_set_base_url(c, api) == ZOOMLIVE_STATUS_OK, "base url", last());
    check(zoomlive_client_set_extra_ca_file(c, ca) == ZOOMLIVE_STATUS_OK, "extra CA", last());
    check(zoomlive_client_set_timeout_ms(c, 20000) == ZOOMLIVE_STATUS_OK, "timeout", last());
    if (no_system) {
        check(zoomlive_client_set_system_proxy(c, 0) == ZOOMLIVE_STATUS_OK, "system proxy off", last());
    }
    if (with_auth) {
        check(zoomlive_client_set_proxy(c, proxy) == ZOOMLIVE_STATUS_OK, "explicit proxy", last());
        check(zoomlive_client_set_proxy_auth(c, argv[6]) == ZOOMLIVE_STATUS_OK, "proxy auth", last());
        check(zoomlive_client_set_proxy_credentials(c, argv[7], argv[8]) == ZOOMLIVE_STATUS_OK,
              "proxy credentials", last());
    }
    char json[1024], want[512];
    check(zoomlive_client_proxy_for(c, api, json, sizeof json, NULL) == ZOOMLIVE_STATUS_OK, "proxy_for", last());
    printf("# decision: %s\n", json);
    snprintf(want, sizeof want, "\"source\":\"%s", source);
    check(strstr(json, want) != NULL, "the source", json);
    if (strcmp(proxy, "-") == 0) {
        check(strstr(json, "\"proxy\":null") != NULL, "direct", json);
    } else {
        snprintf(want, sizeof want, "\"proxy\":\"%s\"", proxy);
        check(strstr(json, want) != NULL, "the proxy", json);
    }
    zoomlive_status s = zoomlive_meeting_livestream_status(c, "68423085", "stop", NULL);
    if (refused) {
        check(s == ZOOMLIVE_STATUS_PROXY_AUTH, "the proxy refused the credentials", last());
        check(strstr(last(), argv[8]) == NULL, "no password in the message", last());
    } else if (strcmp(proxy, "-") == 0) {
        check(s == ZOOMLIVE_STATUS_TRANSPORT, "direct cannot reach the API's name", last());
    } else {
        check(s == ZOOMLIVE_STATUS_OK, "the call went through the proxy", last());
    }
    zoomlive_client_free(c);
    return failed;
}
