#!/bin/sh
# The regression cases of tests/hostile/CASES: every hostile file there (found
# by fuzzing or made by hand) must get its one-line message naming the file,
# exit status 1, no signal, and nothing else on stderr.
. tests/tap.sh
cases=tests/hostile/CASES
program chapter1 "$(grep -vc '^#' "$cases")"
B=${DIGITS_BIN:-bin}
real=${DIGITS_DATA:-data}

# run_case FILE HOW: run the program HOW names on FILE; sets $who (the path the
# message must name) and leaves stderr in $tmp/err.
run_case() {
	f=tests/hostile/$1
	set -- $2
	rm -rf "$tmp/models" "$tmp/data" "$tmp/out"
	case $1 in
	eval) who=$f; "$B/chapter$2" eval "$f" ;;
	report) who=$f; "$B/chapter$2" report --model "$f" --out "$tmp/out" ;;
	app) mkdir "$tmp/models"; who=$tmp/models/chapter$2.model; cp "$f" "$who"
	     "$B/digits" --classify assets/strokes/7-a.strokes --models "$tmp/models" ;;
	classify) mkdir "$tmp/models"; cp tests/hostile/perceptron-zeros.model "$tmp/models/chapter1.model"
	          who=$f; "$B/digits" --classify "$f" --models "$tmp/models" ;;
	data) mkdir "$tmp/data"
	      for d in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte \
	               t10k-labels-idx1-ubyte; do
	          case +$2+ in *+$d+*) continue ;; esac
	          ln -s "$(cd "$real" && pwd)/$(ls "$real" | grep "^$d" | head -1)" "$tmp/data/"
	      done
	      names=$2 files=${f#tests/hostile/}
	      while [ -n "$names" ]; do    # FILE+FILE2 in place of NAME+NAME2
	          n1=${names%%+*} f1=tests/hostile/${files%%+*}
	          case $f1 in *.gz) who=$tmp/data/$n1.gz ;; *) who=$tmp/data/$n1 ;; esac
	          cp "$f1" "$who"
	          [ "$names" = "${names#*+}" ] && break
	          names=${names#*+} files=${files#*+}
	      done
	      who=$tmp/data/${2%%+*}; case $f in *.gz) who=$who.gz ;; esac
	      ( case ${DIGITS_BUILD:-} in *san*) ;; *) [ -z "${3:-}" ] || ulimit -v $(($3 * 1024)) ;; esac
	        DIGITS_DATA=$tmp/data exec "$B/chapter1" eval tests/hostile/perceptron-zeros.model ) ;;
	esac >/dev/null 2>"$tmp/err"
}

grep -v '^#' "$cases" | while IFS='	' read -r file how message; do
	run_case "$file" "$how"; rc=$?
	prog=$(echo "$how" | sed 's/^\(eval\|report\|data\) \([0-9]\).*/chapter\2/; s/^data .*/chapter1/; s/^\(app\|classify\).*/digits/')
	others=$(grep -vc "^$prog: " "$tmp/err")
	[ $rc -eq 1 ] && grep -qF "$who:" "$tmp/err" && grep -qF -- "$message" "$tmp/err" \
		&& [ "$others" -eq 0 ] && [ ! -e "$tmp/out" ]
	check $? "$file ($how): exit 1, '$message'" "exit status $rc" "$(head -c 600 "$tmp/err")"
done
