# Digits — the one entry point.  `make help` lists the targets.
#
# The C lives in chapters/*.nw.  notangle -L writes it to tangled/ (with #line
# directives, so the compiler points at the .nw lines); objects go to build/,
# programs to bin/, trained models to models/, the book to book/digits.pdf.

SHELL       := /bin/sh
CC          ?= cc
CHAPTERS    := $(sort $(wildcard chapters/*.nw))
# Every `<<name.c>>=' or `<<name.h>>=' root in the chapters is a file to tangle.
ROOTS       := $(sort $(shell sed -n 's/^<<\([A-Za-z0-9_]*\.[ch]\)>>=[[:space:]]*$$/\1/p' $(CHAPTERS)))
C_ROOTS     := $(filter %.c,$(ROOTS))
H_ROOTS     := $(filter %.h,$(ROOTS))
# chapterN.c are the chapter programs, app*.c, view.c and draw.c the GL app; the rest
# is the library.
PROG_ROOTS  := $(filter chapter%.c,$(C_ROOTS))
APP_ROOTS   := $(filter app%.c view.c draw.c,$(C_ROOTS))
LIB_ROOTS   := $(filter-out $(PROG_ROOTS) $(APP_ROOTS),$(C_ROOTS))
# The code of the book's reports (report*.c, tex.c, picture.c, machine.c): it changes no
# model, so it is left out of the models' signatures; the book's generated files have a
# signature with it.
REPORT_ONLY := $(patsubst %.c,%,$(filter report%.c tex.c picture.c machine.c,$(C_ROOTS)))
CHAPTER_NUMS:= $(patsubst chapter%.c,%,$(PROG_ROOTS))
# The app's chapter: the number of the chapter file that holds the root <<app.c>>.
APP_CHAPTER := $(shell grep -l '^<<app\.c>>=' $(CHAPTERS) /dev/null | sed -n 's|chapters/\([0-9]*\)-.*|\1|p')

ifdef SANITIZE
BUILD       := build/san
BIN         := build/san/bin
SANFLAGS    := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD       := build/opt
BIN         := bin
SANFLAGS    :=
endif

ifndef NO_OMP
OMPFLAGS    := $(shell echo 'int main(void){return 0;}' | $(CC) -fopenmp -x c - -o /dev/null 2>/dev/null && echo -fopenmp)
endif

OPT         ?= -O2
CFLAGS      ?= $(OPT) -g
STB_CFLAGS  := $(shell pkg-config --cflags stb 2>/dev/null || echo -I/usr/include/stb)
ALL_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra $(CFLAGS) $(OMPFLAGS) $(SANFLAGS) \
               -Itangled $(STB_CFLAGS)
TEST_CFLAGS := $(ALL_CFLAGS) -Werror -Itests
LDLIBS      := -lz -lm
GL_CFLAGS    = $(shell pkg-config --cflags glfw3 stb 2>/dev/null) -I$(BUILD)/glad/include
GL_LIBS      = $(shell pkg-config --libs glfw3 stb 2>/dev/null || echo -lglfw -lstb) -ldl
STB_LIBS     = -lstb

LIB_OBJS    := $(LIB_ROOTS:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libdigits.a
TEST_SRCS   := $(sort $(wildcard tests/*.c))
TEST_BINS   := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%.t)
FUZZ_NAMES  := $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
MODEL_NUMS  := $(CHAPTER_NUMS)
MODELS      := $(MODEL_NUMS:%=models/chapter%.model)
DATA        := data/train-images-idx3-ubyte.gz data/train-labels-idx1-ubyte.gz \
               data/t10k-images-idx3-ubyte.gz data/t10k-labels-idx1-ubyte.gz
DEPS_STAMP  := build/.deps-installed
# Install the missing packages before anything else: the probes above ($(CC) -fopenmp,
# pkg-config) need them, and a bare Debian has gcc without libc6-dev.  Make remakes an
# included file first and, when it did, starts over, so the probes see the new packages.
ifeq ($(filter help clean distclean,$(MAKECMDGOALS)),)
-include $(DEPS_STAMP)
endif

.PHONY: all help deps data tangle models book run test bench compare fuzz clean distclean \
        $(CHAPTER_NUMS:%=chapter%)
.DELETE_ON_ERROR:
.PRECIOUS: models/chapter%.model models/.chapter%.sig book/gen/chapter%.tex book/gen/.chapter%.sig

all: $(CHAPTER_NUMS:%=chapter%) $(if $(APP_ROOTS),chapter$(APP_CHAPTER)) models book
	@echo "programs:  $(BIN)/"
	@echo "models:    models/"
	@echo "book:      book/digits.pdf"

help:
	@echo "make            build every chapter, train the models, weave the book"
	@echo "make deps       install the missing Debian packages (apt-get, via sudo when not root)"
	@echo "make data       fetch MNIST into data/ and verify its SHA-256 sums"
	@echo "make tangle     extract the C from chapters/*.nw into tangled/"
	@$(foreach n,$(CHAPTER_NUMS),echo "make chapter$(n)   build $(BIN)/chapter$(n), the program of chapter $(n)";)
	@$(if $(APP_ROOTS),echo "make chapter$(APP_CHAPTER)   build $(BIN)/digits: the app of chapter $(APP_CHAPTER)")
	@echo "make models     train every chapter's model into models/ (skips those up to date)"
	@echo "make book       weave and typeset book/digits.pdf"
	@echo "make run        build what is missing and open the app (bin/digits)"
	@echo "make test       build and run the TAP tests with prove (SANITIZE=1: with ASan+UBSan)"
	@echo "make bench      measure training and inference speed"
	@echo "make compare    the same workloads in Digits and PyTorch, side by side (installs PyTorch)"
	@echo "make fuzz       run every libFuzzer harness for FUZZ_SECONDS [60] each (FUZZ_ONLY=\"model payload\": those only; installs clang)"
	@echo "make clean      remove build products (keeps data/ and models/)"
	@echo "make distclean  remove everything generated, data/ and models/ too"
	@echo "options: NO_OMP=1 (no OpenMP), SANITIZE=1, OPT=-O3"

# ---- packages and data -----------------------------------------------------------
deps $(DEPS_STAMP): scripts/install-deps.sh
	@scripts/install-deps.sh
	@mkdir -p build && touch $(DEPS_STAMP)

data: $(DATA)
$(DATA) &: | $(DEPS_STAMP)
	scripts/fetch-mnist.sh data

# ---- tangling ----------------------------------------------------------------------
# One stamp for all roots: notangle runs only when a chapter changed, and cpif
# leaves files whose text did not change untouched, so make recompiles only those.
tangle: tangled/.stamp
tangled/.stamp: $(CHAPTERS) | $(DEPS_STAMP)
	@mkdir -p tangled
	@set -e; for r in $(ROOTS); do \
	    notangle -L -R"$$r" $(CHAPTERS) > tangled/"$$r".new || { rm -f tangled/"$$r".new; exit 1; }; \
	    if cmp -s tangled/"$$r".new tangled/"$$r"; then rm tangled/"$$r".new; \
	    else mv tangled/"$$r".new tangled/"$$r"; echo "tangle    tangled/$$r"; fi; \
	done
	@touch $@

$(ROOTS:%=tangled/%): tangled/.stamp ;

# ---- compiling ---------------------------------------------------------------------
$(BUILD)/%.o: tangled/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/chapter%: $(BUILD)/chapter%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) $(STB_LIBS) -Wl,-Map=$(BUILD)/chapter$*.map -o $@

$(CHAPTER_NUMS:%=chapter%): chapter%: $(BIN)/chapter%

# The app (chapter $(APP_CHAPTER)): app*.c, with a GL loader that glad generates here, offline.
APP_OBJS    := $(APP_ROOTS:%.c=$(BUILD)/%.o) $(BUILD)/glad/gl.o
$(BUILD)/glad/src/gl.c $(BUILD)/glad/include/glad/gl.h &: | $(DEPS_STAMP)
	@mkdir -p $(BUILD)/glad
	/usr/bin/glad --quiet --reproducible --api gl:core=3.3 --extensions '' --out-path $(BUILD)/glad c
$(BUILD)/glad/gl.o: $(BUILD)/glad/src/gl.c
	$(CC) $(ALL_CFLAGS) -w -I$(BUILD)/glad/include -c $< -o $@
$(APP_ROOTS:%.c=$(BUILD)/%.o): ALL_CFLAGS += $(GL_CFLAGS)
$(APP_ROOTS:%.c=$(BUILD)/%.o): | $(BUILD)/glad/include/glad/gl.h
$(BIN)/digits: $(APP_OBJS) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $^ $(GL_LIBS) $(LDLIBS) -o $@
ifneq ($(APP_ROOTS),)
chapter$(APP_CHAPTER): $(BIN)/digits
.PHONY: chapter$(APP_CHAPTER)
endif

# `make run': build what is missing (data, models, the app), then open the window.
# Without a display the app says so in one line and exits with status 1.
run: $(BIN)/digits $(MODELS)
	$(BIN)/digits

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d build/fuzz/*.d)

# ---- models ------------------------------------------------------------------------
# A model is retrained only when the code of its program changed: models/.chapterN.sig
# hashes the tangled C that bin/chapterN links (without #line directives and without the
# reports' code), and is rewritten only when that hash changes.  Prose edits, the reports
# and the app retrain nothing.  When it changes, the results that the chapter's report
# remembered (models/chapterN-*.cache: trainings of its experiments) are forgotten too.
models: $(MODELS)
models/.chapter%.sig: $(BIN)/chapter%
	@mkdir -p models
	@scripts/model-sig.sh $(BUILD)/chapter$*.map $(BUILD) $(REPORT_ONLY) > $@.new
	@if cmp -s $@.new $@; then rm $@.new; \
	 else mv $@.new $@; rm -f models/chapter$*-*.cache; fi
models/chapter%.model: models/.chapter%.sig | $(DATA)
	$(BIN)/chapter$* train
# The committee's first member (a plain one) again, the same but for elastic distortions:
# chapter 5's report measures the two side by side.  It retrains when the committee does.
models/chapter5-elastic.model: models/.chapter5.sig | $(DATA)
	$(BIN)/chapter5 train --members 1 --pen-members 0 --elastic-members 1 --output $@
models: models/chapter5-elastic.model

# ---- the book ----------------------------------------------------------------------
BOOK_GEN := $(CHAPTER_NUMS:%=book/gen/chapter%.tex) book/gen/machine.tex
book: book/digits.pdf
book/body.tex: $(CHAPTERS) | $(DEPS_STAMP)
	noweave -n -index -t4 $(CHAPTERS) > $@.tmp && mv $@.tmp $@
# A chapter's numbers are written again when its model or its program's code changed
# (book/gen/.chapterN.sig: the same hash as the model's, with the reports' code).
book/gen/.chapter%.sig: $(BIN)/chapter%
	@mkdir -p book/gen
	@scripts/model-sig.sh $(BUILD)/chapter$*.map $(BUILD) > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
book/gen/chapter%.tex: models/chapter%.model book/gen/.chapter%.sig | $(BIN)/chapter%
	@mkdir -p book/gen
	$(BIN)/chapter$* report --model models/chapter$*.model --out book/gen
# The description of the machine (processor, caches, measured peak) comes with chapter 2's.
book/gen/machine.tex: book/gen/chapter2.tex ;
# Chapter 5: the sample drawings and MNIST's test digits, redrawn with the pen, judged by
# every chapter's model.
book/gen/chapter5.tex: $(BIN)/chapter5 $(MODELS) models/chapter5-elastic.model $(DATA) \
                       $(wildcard assets/strokes/*.strokes)
	@mkdir -p book/gen
	$(BIN)/chapter5 report --out book/gen
ifneq ($(APP_ROOTS),)
# The app's chapter: frame times and a screenshot of the app (under Xvfb), written by
# the app into book/gen/chapter$(APP_CHAPTER).tex.
BOOK_GEN += book/gen/chapter$(APP_CHAPTER).tex
book/gen/chapter$(APP_CHAPTER).tex: $(BIN)/digits $(MODELS) $(wildcard assets/strokes/*.strokes)
	@mkdir -p book/gen
	xvfb-run -a -s '-screen 0 1280x800x24' $(BIN)/digits --report book/gen
endif
book/digits.pdf: book/book.tex book/body.tex $(BOOK_GEN)
	cd book && latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet book.tex >/dev/null || \
	    { grep -A8 '^!' book.log >&2; echo "book: LaTeX failed, see book/book.log" >&2; exit 1; }
	cp book/book.pdf $@

# ---- tests -------------------------------------------------------------------------
$(BUILD)/tests/%.t: tests/%.c tests/tap.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -MMD -MP $< $(LIB) $(LDLIBS) $(STB_LIBS) -o $@

# The book (and the models it reports on) are always built without sanitizers.
test: $(TEST_BINS) $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay-%) $(PROG_ROOTS:chapter%.c=$(BIN)/chapter%) \
      $(if $(APP_ROOTS),$(BIN)/digits) $(DATA)
	@$(MAKE) --no-print-directory SANITIZE= book
	DIGITS_BIN=$(BIN) DIGITS_BUILD=$(BUILD) prove $(BUILD)/tests tests

# ---- fuzzing -------------------------------------------------------------------
# libFuzzer harnesses (tests/fuzz/fuzz-*.c) with ASan and UBSan, built by clang from
# the same tangled library; clang and libFuzzer are installed by this target only.
# make test builds the same harnesses with $(CC) and a replay driver instead.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
                -fno-sanitize-recover=all -Itangled -Itests/fuzz $(STB_CFLAGS)
FUZZ_DEPS    := build/.fuzz-deps-installed
$(FUZZ_DEPS): scripts/install-deps.sh
	@scripts/install-deps.sh fuzz
	@mkdir -p build && touch $@
build/fuzz/%.o: tangled/%.c | $(FUZZ_DEPS)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@
build/fuzz/libdigits.a: $(LIB_ROOTS:%.c=build/fuzz/%.o)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h build/fuzz/libdigits.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< build/fuzz/libdigits.a -lz -lm \
	    -o $@
fuzz: $(FUZZ_NAMES:%=build/fuzz/fuzz-%) $(PROG_ROOTS:chapter%.c=$(BIN)/chapter%) $(DATA)
	FUZZ_ONLY="$(FUZZ_ONLY)" scripts/fuzz.sh $(FUZZ_SECONDS) $(BIN) build/fuzz

# The replay drivers for make test: each harness run on the files it is given.
$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Itests/fuzz tests/fuzz/fuzz-$*.c tests/fuzz/replay.c $(LIB) \
	    $(LDLIBS) $(STB_LIBS) -o $@

# ---- benchmarks --------------------------------------------------------------------
# Every chapter program has a `bench' command; the app has --bench.
bench: $(PROG_ROOTS:chapter%.c=$(BIN)/chapter%) $(if $(APP_ROOTS),$(BIN)/digits) $(MODELS) $(DATA)
	@set -e; for n in $(CHAPTER_NUMS); do $(BIN)/chapter$$n bench; done
	$(if $(APP_ROOTS),xvfb-run -a -s '-screen 0 1920x1080x24' $(BIN)/digits --bench)

# ---- the side-by-side with PyTorch (appendix D; not part of all, test or bench) -----
# Installs python3-torch, python3-numpy and libopenblas0-pthread the first time.
COMPARE_PACKAGES := python3-torch python3-numpy libopenblas0-pthread
COMPARE_REPS     ?= 3
compare: $(PROG_ROOTS:chapter%.c=$(BIN)/chapter%) $(DATA)
	@missing=$$(for p in $(COMPARE_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "compare: installing" $$missing; \
	    if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi; \
	    $$sudo apt-get install -y --no-install-recommends $$missing; fi
	@mkdir -p build
	notangle -R'compare.py' $(CHAPTERS) > build/compare.py
	DIGITS_BIN=$(BIN) DIGITS_DATA=data COMPARE_REPS=$(COMPARE_REPS) /usr/bin/python3 build/compare.py

# ---- housekeeping ------------------------------------------------------------------
clean:
	rm -rf build bin tangled book/body.tex book/gen book/*.aux book/*.log book/*.out \
	       book/*.toc book/*.idx book/*.ilg book/*.ind book/*.fls book/*.fdb_latexmk \
	       book/book.pdf book/digits.pdf
distclean: clean
	rm -rf models data
.SECONDARY: $(PROG_ROOTS:%.c=$(BUILD)/%.o) $(APP_OBJS)
