/*
 * test_walk.c — the file walker (io/walk.h) on trees built in a temporary
 * directory: link loops that once made a scan walk 3^16 paths, a
 * self-link, a link out of the tree, the depth bound, dotfiles, standard
 * input and compressed files. Each case checks which files were handed
 * out (each once, in sorted order) and that every skipped link was named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "io/walk.h"

#define SEEN_MAX 4096

typedef struct seen {
    char files[SEEN_MAX];   /* relative paths, one a line */
    size_t nfiles, nnotes;
    char notes[SEEN_MAX];
    size_t skip;            /* length of the root prefix to cut */
    mr_compression comp;    /* of the last file */
} seen;

static char root[256];

static void add(char *buf, const char *s)
{
    size_t n = strlen(buf);
    snprintf(buf + n, SEEN_MAX - n, "%s\n", s);
}

static mamori_err on_file(void *user, const mr_walk_file *f)
{
    seen *s = user;
    s->nfiles++;
    s->comp = mr_source_compression(f->src);
    add(s->files, strlen(f->path) > s->skip ? f->path + s->skip : f->path);
    return MAMORI_OK;
}

static void on_diag(void *user, mamori_diag_level level, const char *file,
                    uint64_t line, const char *msg)
{
    seen *s = user;
    char one[512];
    (void)level;
    (void)line;
    s->nnotes++;
    snprintf(one, sizeof(one), "%s: %s", file && strlen(file) > s->skip ? file + s->skip : "",
             msg);
    add(s->notes, one);
}

/* Walks root/rel; paths in s are relative to root/. */
static mamori_err walk(seen *s, const char *rel, int follow, unsigned depth)
{
    char path[512];
    mamori_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    memset(s, 0, sizeof(*s));
    ctx.diag = on_diag;
    ctx.diag_user = s;
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    s->skip = strlen(root) + 1;
    mr_walk_opts o = {.ctx = &ctx, .follow = follow, .depth_max = depth,
                      .fn = on_file, .user = s};
    return mr_walk_path(&o, path);
}

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    assert_int_equal(mkdir(path, 0700), 0);
}

static void link_to(const char *target, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    assert_int_equal(symlink(target, path), 0);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof(root), "%s/mamori-walk-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return (system)(cmd) == 0 ? 0 : -1;
}

static void three_link_loop(void **state)
{
    (void)state;
    seen s;
    dir("d");
    put("d/access.log", "x\n");
    link_to(".", "d/a");
    link_to(".", "d/b");
    link_to(".", "d/c");
    clock_t t0 = clock();
    assert_int_equal(walk(&s, "d", 0, 0), MAMORI_OK);
    assert_true(clock() - t0 < CLOCKS_PER_SEC);
    assert_string_equal(s.files, "d/access.log\n");
    assert_int_equal(s.nnotes, 3);
    assert_non_null(strstr(s.notes, "d/a: link to"));
    assert_non_null(strstr(s.notes, "d/c: link to"));
    /* followed or not, a link inside the tree is never walked twice */
    assert_int_equal(walk(&s, "d", 1, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/access.log\n");
}

static void self_link(void **state)
{
    (void)state;
    seen s;
    dir("d");
    put("d/a.log", "x\n");
    dir("d/sub");
    put("d/sub/b.log", "x\n");
    link_to("self", "d/self");
    link_to(".", "d/sub/here");
    link_to("missing", "d/dangling");
    assert_int_equal(walk(&s, "d", 1, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/a.log\nd/sub/b.log\n");
    assert_non_null(strstr(s.notes, "d/self: link loop: skipped"));
    assert_non_null(strstr(s.notes, "d/sub/here: link to"));
    assert_non_null(strstr(s.notes, "d/dangling: dangling link: skipped"));
}

static void link_out_of_tree(void **state)
{
    (void)state;
    seen s;
    dir("d");
    dir("d/sub");
    put("d/sub/a.log", "x\n");
    dir("out");
    put("out/other.log", "x\n");
    link_to("../..", "d/sub/up");     /* root/: holds d itself */
    link_to("../out", "d/ext");
    link_to("..", "out/back");        /* from out, back to root/ */
    link_to("../out/other.log", "d/file-link");
    assert_int_equal(walk(&s, "d", 0, 0), MAMORI_OK);
    /* a file outside the tree is read, a directory is not followed */
    assert_string_equal(s.files, "d/file-link\nd/sub/a.log\n");
    assert_non_null(strstr(s.notes, "d/ext: link to the directory"));
    assert_non_null(strstr(s.notes, "d/sub/up: link to the directory"));
    assert_int_equal(s.nnotes, 2);
    /* asked to follow: out/ once, root/ once, d never again */
    assert_int_equal(walk(&s, "d", 1, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/ext/other.log\nd/file-link\nd/sub/a.log\n");
    assert_non_null(strstr(s.notes, "already walked"));
}

static void depth_bound(void **state)
{
    (void)state;
    seen s;
    dir("d");
    dir("d/1");
    dir("d/1/2");
    dir("d/1/2/3");
    put("d/1/2/3/deep.log", "x\n");
    put("d/1/top.log", "x\n");
    assert_int_equal(walk(&s, "d", 0, 2), MAMORI_OK);
    assert_string_equal(s.files, "d/1/top.log\n");
    assert_non_null(strstr(s.notes, "d/1/2/3: more than 2 directories deep"));
    assert_int_equal(walk(&s, "d", 0, 3), MAMORI_OK);
    assert_string_equal(s.files, "d/1/2/3/deep.log\nd/1/top.log\n");
    assert_int_equal(s.nnotes, 0);
    /* a link to the directory past the bound is the way to it */
    link_to("1/2/3", "d/short");
    assert_int_equal(walk(&s, "d", 0, 2), MAMORI_OK);
    assert_string_equal(s.files, "d/1/top.log\nd/short/deep.log\n");
}

static void dotfiles(void **state)
{
    (void)state;
    seen s;
    dir("d");
    dir("d/.git");
    put("d/.git/config", "x\n");
    put("d/.access.log.swp", "x\n");
    put("d/access.log", "x\n");
    assert_int_equal(walk(&s, "d", 0, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/access.log\n");
    assert_int_equal(s.nnotes, 0);
    /* named by the caller: always read */
    assert_int_equal(walk(&s, "d/.access.log.swp", 0, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/.access.log.swp\n");
    /* a link is the only way to a hidden file or directory: taken */
    dir("d/.rotated");
    put("d/.rotated/old.log", "x\n");
    link_to(".rotated", "d/rotated");
    link_to(".access.log.swp", "d/swap");
    assert_int_equal(walk(&s, "d", 0, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/access.log\nd/rotated/old.log\nd/swap\n");
    assert_int_equal(s.nnotes, 0);
}

static void stdin_compressed_and_errors(void **state)
{
    (void)state;
    seen s;
    char path[512];
    dir("d");
    snprintf(path, sizeof(path), "%s/d/old.log.gz", root);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    gzputs(gz, "x\n");
    gzclose(gz);
    assert_int_equal(walk(&s, "d", 0, 0), MAMORI_OK);
    assert_string_equal(s.files, "d/old.log.gz\n");
    assert_int_equal(s.comp, MR_COMP_GZIP);

    int fd = open(path, O_RDONLY), saved = dup(0);
    assert_true(fd >= 0 && saved >= 0);
    dup2(fd, 0);
    close(fd);
    mamori_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    memset(&s, 0, sizeof(s));
    mr_walk_opts o = {.ctx = &ctx, .fn = on_file, .user = &s};
    assert_int_equal(mr_walk_path(&o, "-"), MAMORI_OK);
    dup2(saved, 0);
    close(saved);
    assert_string_equal(s.files, "-\n");
    assert_int_equal(s.comp, MR_COMP_GZIP);

    uint64_t unreadable = 0;
    o.unreadable = &unreadable;
    assert_int_equal(mr_walk_path(&o, "/nonexistent/mamori-walk"), MAMORI_E_IO);
    assert_int_equal(unreadable, 1);
}

static mamori_err stop_at_first(void *user, const mr_walk_file *f)
{
    (void)f;
    (*(int *)user)++;
    return MAMORI_E_ABORTED;
}

static void callback_stops(void **state)
{
    (void)state;
    int calls = 0;
    char path[512];
    dir("d");
    put("d/a.log", "x\n");
    put("d/b.log", "x\n");
    snprintf(path, sizeof(path), "%s/d", root);
    mr_walk_opts o = {.fn = stop_at_first, .user = &calls};
    assert_int_equal(mr_walk_path(&o, path), MAMORI_E_ABORTED);
    assert_int_equal(calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(three_link_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(self_link, setup, teardown),
        cmocka_unit_test_setup_teardown(link_out_of_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(depth_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(dotfiles, setup, teardown),
        cmocka_unit_test_setup_teardown(stdin_compressed_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(callback_stops, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
