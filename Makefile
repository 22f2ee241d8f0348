# Thin wrapper around the course's own tools. `make` sets up and builds; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELHOUSE := $(VENV)/wheelhouse
ASSIGNMENT ?=
SUBMISSIONS ?=
EXPORT ?=
LAB_DIR ?= my-work
LAB_FLAGS ?=
OUT ?= graded/$(ASSIGNMENT)

.PHONY: all install assignments book dist test test-fast test-catalogue bench grade lab clean models

all: assignments book

# The venv, the pinned requirements, and the course package installed editable from this checkout (pyproject.toml:
# the package and, as its shared data, the course's kernel spec in share/jupyter/kernels/cnnbook, whose README says
# why it keeps native log lines out of notebooks), so nbgrader, nbval and the book run notebooks with the course's
# interpreter. The editable install also puts the checkout on the path: autograder/, tests/ and the tools import
# from it. A wheelhouse of the student requirements and the build backend lets the tests install the course into
# clean venvs without the network.
$(STAMP): requirements.txt requirements-student.txt pyproject.toml scripts/install-system-packages.sh share/jupyter/kernels/cnnbook/kernel.json
	bash scripts/install-system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/lib/python*/site-packages/cnn-course.pth  # the hand-written path file of venvs made before
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --dest $(WHEELHOUSE) \
		-r requirements-student.txt hatchling --constraint requirements.txt
	touch $(STAMP)

install: $(STAMP)

# Regenerate the student notebooks in assignments/ from the instructor notebooks in solutions/.
assignments: install
	$(BIN)/python -m autograder.release

book: install
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet

# What a class gets: dist/student (the student repository, checked for leaked answers) and dist/site (the book,
# its launch buttons pointing at the student repository). `python -m autograder.dist --help` lists the options.
dist: assignments
	$(BIN)/python -m autograder.dist

# Two pytest-xdist workers; tests/conftest.py groups the tests that share a fixture's work (a graded batch, a
# release, the cells of one instructor notebook, which share its kernel) into one worker, and
# tests/test_worker_groups.py checks that xdist gets the groups. Both testpaths of pytest.ini run: tests/ and the
# instructor notebooks (nbval), whose demos run with the fewest steps (tests/conftest.py: CNNBOOK_QUICK_DEMOS). No
# path is given: with testpaths, tests/conftest.py is loaded and so groups the notebooks' cells too (a run given
# only solutions/ would not load it).
# The slowest 15 tests are listed at the end.
XDIST := -n 2 --dist loadgroup

test: book
	$(BIN)/python -m pytest $(XDIST) --durations=15

# The quick loop for authors: everything except the slow end-to-end tests.
test-fast: install
	$(BIN)/python -m pytest $(XDIST) -m "not slow"

# Every round of every mistake catalogue through the real grader (`make test` grades the first and last).
test-catalogue: install
	CNNBOOK_CATALOGUE_ROUNDS=all $(BIN)/python -m pytest tests/assignments/test_grading.py

bench: install
	$(BIN)/python -m benchmarks.run

# EXPORT=canvas, EXPORT=moodle or EXPORT="canvas moodle": also the CSV files those systems import.
grade: install
	@test -n "$(ASSIGNMENT)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade ASSIGNMENT=w1a1_conv_numpy SUBMISSIONS=path/to/folder-or-zip [OUT=graded/...] [EXPORT=canvas|moodle]"; exit 2; }
	$(BIN)/python -m autograder.grade $(ASSIGNMENT) $(SUBMISSIONS) --out $(OUT)$(foreach format,$(EXPORT), --export $(format))

# Students work on copies: `make lab` copies each released file they do not have yet into LAB_DIR (git-ignored;
# never over a file that is there, so neither `make` nor `git pull` touches their work) and opens JupyterLab on
# it. JUPYTER_CONFIG_PATH adds share/jupyter/student_lab/: JupyterLab for students, with nbgrader's Validate
# button and Assignments tab and without its instructor tools (its README says what and why). LAB_FLAGS: more
# options of `jupyter lab` (the tests give a port, a token and --no-browser).
lab: install
	@mkdir -p "$(LAB_DIR)" && cd assignments && find . -type f ! -path '*/.ipynb_checkpoints/*' ! -path '*/.virtual_documents/*' | while read -r file; do \
	    target="$(abspath $(LAB_DIR))/$${file#./}"; \
	    [ -e "$$target" ] || { mkdir -p "$$(dirname "$$target")" && cp "$$file" "$$target" && echo "copied $$target"; }; \
	done
	JUPYTER_CONFIG_PATH="$(CURDIR)/share/jupyter/student_lab$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	    $(BIN)/jupyter lab $(LAB_FLAGS) "$(LAB_DIR)"

clean:
	rm -rf _build graded dist

# Train the course's small pretrained networks again (seeded), and print their measured quality.
models: install
	$(BIN)/python -m training.train_all
