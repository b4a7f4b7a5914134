/*
 * rbprobe: the static helper of the fix-verification stage. It needs no shell and no libraries, so it
 * runs the same in Debian-, BusyBox- and scratch/distroless-style images (the runner bind-mounts it).
 *
 *   rbprobe verify --root|--nonroot [--owned PATH]... [--write PATH]...
 *       Prints the process's uid/gid, then checks: --root: uid is 0; --nonroot: uid is not 0, every
 *       --owned PATH belongs to the process's uid and gid, and every --write PATH can be created or
 *       appended to by the process. Exit 0 when every check holds, 1 otherwise, 2 on bad usage.
 *
 *   rbprobe app PATH
 *       A minimal "application" for shell-less images: appends a line to PATH and prints
 *       "app wrote PATH as uid N". Exit 0 on success, 1 when it cannot write.
 *
 * Built by the runner with `gcc -static`; it uses only syscalls-level libc calls, no NSS lookups.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int append_line(const char *path, const char *line) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) {
        return errno;
    }
    size_t len = strlen(line);
    ssize_t written = write(fd, line, len);
    int err = (written == (ssize_t)len) ? 0 : (written < 0 ? errno : EIO);
    if (close(fd) != 0 && err == 0) {
        err = errno;
    }
    return err;
}

static int app(const char *path) {
    char line[128];
    snprintf(line, sizeof line, "written by uid %u\n", (unsigned)getuid());
    int err = append_line(path, line);
    if (err != 0) {
        fprintf(stderr, "app cannot write %s as uid %u: %s\n", path, (unsigned)getuid(), strerror(err));
        return 1;
    }
    printf("app wrote %s as uid %u\n", path, (unsigned)getuid());
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: rbprobe verify --root|--nonroot [--owned PATH]... [--write PATH]...\n"
                    "       rbprobe app PATH\n");
    return 2;
}

static int verify(int argc, char **argv) {
    uid_t uid = getuid();
    gid_t gid = getgid();
    int want_root = -1;
    int failures = 0;

    printf("uid=%u gid=%u euid=%u\n", (unsigned)uid, (unsigned)gid, (unsigned)geteuid());
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--root") == 0) {
            want_root = 1;
        } else if (strcmp(argv[i], "--nonroot") == 0) {
            want_root = 0;
        } else if ((strcmp(argv[i], "--owned") == 0 || strcmp(argv[i], "--write") == 0) && i + 1 < argc) {
            i++;
        } else {
            return usage();
        }
    }
    if (want_root < 0) {
        return usage();
    }
    if (want_root && uid != 0) {
        printf("FAIL runs as uid %u, expected root\n", (unsigned)uid);
        failures++;
    }
    if (!want_root && (uid == 0 || geteuid() == 0)) {
        printf("FAIL runs as root (uid %u, euid %u)\n", (unsigned)uid, (unsigned)geteuid());
        failures++;
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--owned") == 0) {
            const char *path = argv[++i];
            struct stat st;
            if (lstat(path, &st) != 0) {
                printf("FAIL owned %s: %s\n", path, strerror(errno));
                failures++;
            } else if (!want_root && (st.st_uid != uid || st.st_gid != gid)) {
                printf("FAIL owned %s: belongs to %u:%u, process runs as %u:%u\n", path, (unsigned)st.st_uid,
                       (unsigned)st.st_gid, (unsigned)uid, (unsigned)gid);
                failures++;
            } else {
                printf("ok   owned %s (%u:%u)\n", path, (unsigned)st.st_uid, (unsigned)st.st_gid);
            }
        } else if (strcmp(argv[i], "--write") == 0) {
            const char *path = argv[++i];
            int err = append_line(path, "rbprobe\n");
            if (err != 0) {
                printf("FAIL write %s: %s\n", path, strerror(err));
                failures++;
            } else {
                printf("ok   write %s\n", path);
            }
        }
    }
    return failures == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        return verify(argc - 2, argv + 2);
    }
    if (argc == 3 && strcmp(argv[1], "app") == 0) {
        return app(argv[2]);
    }
    return usage();
}
