/* Grades every submission of an assignment through the C ABI of libautograder and prints each
 * final score, e.g.
 *
 *   grade_assignment examples/assignments/python-calculator
 *   broken: 0.00
 *   correct: 100.00
 *   partial: 38.19
 *
 * An assignment folder holds config.json and submissions/NAME/, one folder of files each. */
#define _POSIX_C_SOURCE 200809L /* scandir, stat */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <autograder.h>

/* Appends `piece` to the malloc'd string *text. */
static void append(char** text, const char* piece) {
    char* grown = realloc(*text, strlen(*text) + strlen(piece) + 1);
    if (!grown) exit(1);
    *text = strcat(grown, piece);
}

/* The concatenation of up to three strings, malloc'd. */
static char* concat(const char* a, const char* b, const char* c) {
    char* text = strdup(a);
    if (!text) exit(1);
    append(&text, b);
    append(&text, c);
    return text;
}

/* The whole file, malloc'd; NULL when it cannot be read. */
static char* read_file(const char* path) {
    FILE* file = fopen(path, "rb");
    char* text = NULL;
    long size;
    if (file && fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)size + 1)) != NULL) {
        text[fread(text, 1, (size_t)size, file)] = '\0';
    }
    if (file) fclose(file);
    return text;
}

/* `text` as a JSON string, quotes included, malloc'd. */
static char* json_string(const char* text) {
    char* quoted = malloc(strlen(text) * 6 + 3); /* worst case: every byte as \u00XX */
    char* out = quoted;
    const unsigned char* in;
    if (!quoted) exit(1);
    *out++ = '"';
    for (in = (const unsigned char*)text; *in; ++in) {
        if (*in == '"' || *in == '\\') {
            *out++ = '\\';
            *out++ = (char)*in;
        } else if (*in < 0x20) {
            out += sprintf(out, "\\u%04x", *in);
        } else {
            *out++ = (char)*in;
        }
    }
    strcpy(out, "\"");
    return quoted;
}

static int visible(const struct dirent* entry) {
    return entry->d_name[0] != '.';
}

static int is_folder(const char* path) {
    struct stat info;
    return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* {"files": [{"path": NAME, "content": TEXT}, ...]} for the files of a submission folder. */
static char* submission_json(const char* folder) {
    struct dirent** names;
    int count = scandir(folder, &names, visible, alphasort);
    int files = 0, i;
    char* json = concat("{\"files\": [", "", "");
    for (i = 0; i < count; ++i) {
        char* path = concat(folder, "/", names[i]->d_name);
        char* content = is_folder(path) ? NULL : read_file(path);
        if (content) {
            char* quoted_path = json_string(names[i]->d_name);
            char* quoted_content = json_string(content);
            append(&json, files++ ? ", {\"path\": " : "{\"path\": ");
            append(&json, quoted_path);
            append(&json, ", \"content\": ");
            append(&json, quoted_content);
            append(&json, "}");
            free(quoted_path);
            free(quoted_content);
            free(content);
        }
        free(path);
        free(names[i]);
    }
    if (count >= 0) free(names);
    append(&json, "]}");
    return json;
}

/* The result's final score. A real host reads the result with its JSON library; here the first
 * "final_score" is the top-level one (the library writes object keys in sorted order). */
static double final_score(const char* result_json) {
    const char* found = strstr(result_json, "\"final_score\":");
    return found ? strtod(found + strlen("\"final_score\":"), NULL) : 0;
}

int main(int argc, char** argv) {
    ag_pipeline* pipeline;
    char *config_path, *config, *directory, *options, *submissions;
    struct dirent** names;
    int count, i, status = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s ASSIGNMENT_DIR\n", argv[0]);
        return 2;
    }
    config_path = concat(argv[1], "/config.json", "");
    config = read_file(config_path);
    if (!config) {
        fprintf(stderr, "cannot read %s\n", config_path);
        return 2;
    }
    /* Asset sources in the configuration are relative to the assignment folder. */
    directory = json_string(argv[1]);
    options = concat("{\"assignment_directory\": ", directory, "}");
    if (ag_pipeline_create(config, options, &pipeline) != AG_OK) {
        fprintf(stderr, "invalid configuration:\n%s\n", ag_last_error());
        return 1;
    }

    submissions = concat(argv[1], "/submissions", "");
    count = scandir(submissions, &names, visible, alphasort);
    for (i = 0; i < count; ++i) {
        char* folder = concat(submissions, "/", names[i]->d_name);
        if (is_folder(folder)) {
            char* submission = submission_json(folder);
            char* result;
            /* AG_OK whenever a result was produced, also when the pipeline FAILED (score 0). */
            if (ag_pipeline_grade(pipeline, submission, &result) == AG_OK) {
                printf("%s: %.2f\n", names[i]->d_name, final_score(result));
                ag_free(result);
            } else {
                fprintf(stderr, "%s: %s\n", names[i]->d_name, ag_last_error());
                status = 1;
            }
            free(submission);
        }
        free(folder);
        free(names[i]);
    }
    if (count < 0) {
        fprintf(stderr, "cannot list %s\n", submissions);
        status = 1;
    } else {
        free(names);
    }

    ag_pipeline_destroy(pipeline);
    free(config_path);
    free(config);
    free(directory);
    free(options);
    free(submissions);
    return status;
}
