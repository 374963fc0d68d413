/* rss_launch OUT_FILE PROGRAM ARGS...: runs PROGRAM (stdin/stdout/stderr inherited),
 * waits for it with wait4 and writes its peak resident set size (ru_maxrss, KiB) to
 * OUT_FILE; exits with PROGRAM's status.
 *
 * Why not wait4 from the Python orchestrator: Linux carries a process's RSS high-water
 * mark across fork and exec, so a child forked from a 20 MB Python process reports at
 * least 20 MB. Forked from this small launcher, the carried-over part is the launcher's
 * own (about 1 MB, the same for every client; bench.py records it by running `true`). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: rss_launch OUT_FILE PROGRAM ARGS...\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("rss_launch: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("rss_launch: exec");
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("rss_launch: wait4");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror("rss_launch: open");
        return 2;
    }
    fprintf(out, "%ld\n", usage.ru_maxrss);
    fclose(out);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
