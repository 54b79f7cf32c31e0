/* Test driver for a header written by `nnfit export --format c`: reads a CSV (header row, no
   quoted fields) on stdin, feeds each row to PREFIX_predict and prints what `nnfit predict
   --proba` prints for a classifier (prediction, then one p_<class> column per class) or
   `nnfit predict` for regression (the value). Build: cc -std=c99 -DPREFIX=nnfit -DUPREFIX=NNFIT
   -DHEADER='"model.h"' c_driver.c -lm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include HEADER

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define API(name) CAT(PREFIX, name)

enum { kMaxFields = 256, kMaxLine = 65536 };

/* Splits line at commas in place, trimming spaces; returns the number of fields. */
static int split(char* line, char** fields) {
  int n = 0;
  char* p = line;
  line[strcspn(line, "\r\n")] = '\0';
  while (n < kMaxFields) {
    char* end = strchr(p, ',');
    char* last;
    if (end != NULL) *end = '\0';
    while (*p == ' ') ++p;
    last = p + strlen(p);
    while (last > p && last[-1] == ' ') *--last = '\0';
    fields[n++] = p;
    if (end == NULL) break;
    p = end + 1;
  }
  return n;
}

static void print_row(const float* x) {
  float out[CAT(UPREFIX, N_OUTPUTS)];
  int k;
  const int best = API(predict)(x, out);
  if (API(class_name)(0) == NULL) {
    printf("%.9g\n", out[0]);
    return;
  }
  printf("%s", API(class_name)(best));
  for (k = 0; k < CAT(UPREFIX, N_OUTPUTS); ++k) printf(",%.9g", out[k]);
  printf("\n");
}

int main(void) {
  static char line[kMaxLine];
  char* fields[kMaxFields];
  int column_of[kMaxFields];
  int n, i;
  if (fgets(line, sizeof line, stdin) == NULL) return 1;
  n = split(line, fields);
  for (i = 0; i < n; ++i) column_of[i] = API(column_index)(fields[i]);
  printf("prediction\n");
  while (fgets(line, sizeof line, stdin) != NULL) {
    float x[CAT(UPREFIX, N_COLUMNS)];
    const int m = split(line, fields);
    for (i = 0; i < m && i < n; ++i) {
      const int c = column_of[i];
      if (c < 0) continue;
      if (API(column_categories)(c) > 0) {
        x[c] = API(category_value)(c, fields[i]);
      } else {
        x[c] = API(is_missing)(fields[i]) ? NAN : strtof(fields[i], NULL);
      }
    }
    print_row(x);
  }
  return 0;
}
