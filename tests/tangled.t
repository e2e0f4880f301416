#!/bin/sh
# The C tangled from the chapters compiles warning-free with -Werror, and every
# file carries #line directives that point back into chapters/*.nw.
BUILD=${DIGITS_BUILD:-build/opt}
CC=${CC:-cc}
files=$(ls tangled/*.c 2>/dev/null)
[ -n "$files" ] || { echo "1..0 # SKIP nothing tangled yet (run make tangle)"; exit 0; }
count=$(echo "$files" | wc -l)
echo "1..$((count + 1))"
omp=$(echo 'int main(void){return 0;}' | $CC -fopenmp -x c - -o /dev/null 2>/dev/null && echo -fopenmp)
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 $omp -Itangled $(pkg-config --cflags stb glfw3 2>/dev/null) -I$BUILD/glad/include"
n=0
for f in $files; do
    n=$((n + 1))
    if out=$($CC $flags -c "$f" -o /dev/null 2>&1); then
        echo "ok $n - $f compiles with -Wall -Wextra -Werror"
    else
        echo "not ok $n - $f compiles with -Wall -Wextra -Werror"
        echo "$out" | head -20 | sed 's/^/#   /'
    fi
done
n=$((n + 1))
bad=$(for f in tangled/*.[ch]; do grep -q '^#line [0-9]* "chapters/.*\.nw"' "$f" || echo "$f"; done)
[ -z "$bad" ] && echo "ok $n - every tangled file has #line directives into chapters/" ||
    echo "not ok $n - files without #line directives: $bad"
