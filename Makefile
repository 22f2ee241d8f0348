# Thin wrapper around the course's own tools. `make` sets up and builds; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ASSIGNMENT ?=
SUBMISSIONS ?=
EXPORT ?=
LAB_DIR ?= my-work
LAB_FLAGS ?=
OUT ?= graded/$(ASSIGNMENT)

.PHONY: all install assignments book test test-fast test-catalogue bench grade lab clean models

all: assignments book

# The venv, the pinned requirements, this checkout on the path (a .pth file: no build step),
# and the course's kernel spec (share/jupyter/kernels/cnnbook: why it keeps native log lines out of
# notebooks is in its README) so nbgrader, nbval and the book run notebooks with the course's interpreter.
$(STAMP): requirements.txt scripts/install-system-packages.sh share/jupyter/kernels/cnnbook/kernel.json
	bash scripts/install-system-packages.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'cnn-course.pth').write_text('$(CURDIR)\n')"
	$(BIN)/jupyter kernelspec install --sys-prefix --name cnnbook share/jupyter/kernels/cnnbook --log-level=WARN
	touch $(STAMP)

install: $(STAMP)

# Regenerate the student notebooks in assignments/ from the instructor notebooks in solutions/.
assignments: install
	$(BIN)/python -m autograder.release

book: install
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet

test: book
	$(BIN)/python -m pytest

# The quick loop for authors: everything except the slow end-to-end tests.
test-fast: install
	$(BIN)/python -m pytest -m "not slow"

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
	rm -rf _build graded

# Train the course's small pretrained networks again (seeded), and print their measured quality.
models: install
	$(BIN)/python -m training.train_all
