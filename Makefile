# Tenken — every target installs what it needs on Debian 12.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

GO        ?= go
BIN       := bin/tenken
DEMO_DIR  ?= demo
# Debian packages: gcc and the X11/GL headers for Fyne (cgo), Xvfb for GUI
# runs without a display, poppler-utils and qpdf to check report PDFs.
APT_PKGS  := gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev xvfb xauth poppler-utils qpdf
FUZZTIME  ?= 5s
export CGO_ENABLED := 1

.PHONY: deps build run demo test fuzz-short fuzz bench lint screenshots clean

deps: ## install missing Debian packages (idempotent, quiet when all are there)
	@missing=""
	for p in $(APT_PKGS); do
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"
	done
	if [ -n "$$missing" ]; then
	  echo "Debian パッケージをインストールします:$$missing"
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"
	  $$sudo apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null
	fi
	command -v $(GO) >/dev/null || { echo "Go 1.26 以上が必要です（/usr/local/go/bin を PATH に）"; exit 1; }

build: deps ## build bin/tenken
	$(GO) build -trimpath -o $(BIN) .

run: build ## open the GUI on the default workspace
	./$(BIN)

demo: build ## sample town → import → inspect → report PDF, headless
	./$(BIN) demo --workspace $(DEMO_DIR) --out $(DEMO_DIR)/点検報告書_サンプル.pdf

test: deps ## vet, all tests (GUI tests under Xvfb), short fuzzing
	$(GO) vet ./...
	xvfb-run -a -s "-screen 0 1366x768x24" $(GO) test -count=1 ./...
	$(MAKE) --no-print-directory fuzz-short

# Every fuzz target, briefly (FUZZTIME each); `make fuzz FUZZTIME=10m` for long runs.
fuzz-short:
	@for pkg in $$($(GO) list ./internal/...); do
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do
	    echo "fuzz $$pkg $$t ($(FUZZTIME))"
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg >/dev/null
	  done
	done
	echo "fuzz: all targets ran without failure"

fuzz: FUZZTIME = 10m
fuzz: fuzz-short

bench: deps ## speed and memory targets
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

lint: deps ## go vet, and staticcheck when the module proxy has it
	$(GO) vet ./...
	if $(GO) run honnef.co/go/tools/cmd/staticcheck@latest -version >/dev/null 2>&1; then
	  $(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...
	else
	  echo "staticcheck を取得できないため go vet のみ実行しました"
	fi

screenshots: build ## PNG of each screen under Xvfb at 1366x768 (into screenshots/)
	xvfb-run -a -s "-screen 0 1366x768x24" $(GO) test -count=1 -run TestScreenshots ./app -args -screenshots=$(CURDIR)/screenshots

clean:
	rm -rf bin $(DEMO_DIR) screenshots
