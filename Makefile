# Tenken — every target installs what it needs on Debian 12.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

GO        ?= go
BIN       := bin/tenken
DEMO_DIR  ?= demo
# Debian packages: gcc and the X11/GL headers for Fyne (cgo), Xvfb for GUI
# runs without a display, poppler-utils and qpdf to check report PDFs,
# sqlite3 for the import benchmark (compared against its .import).
APT_PKGS  := gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev xvfb xauth poppler-utils qpdf sqlite3
FUZZTIME  ?= 5s
export CGO_ENABLED := 1
# Fyne reads the user's locale when its packages initialise, even for a
# subcommand, and logs an English error for the "C" locale of a bare Debian
# machine. LANGUAGE is read first and touches nothing else (no perl or apt
# locale warnings).
export LANGUAGE := ja
# Windows: cross-compiled with Debian's mingw-w64 (cgo for Fyne's GL driver),
# run under Debian's Wine by windows-smoke; see .ci/wine/smoke.sh.
WIN_DIR        := dist/windows
WIN_EXE        := $(WIN_DIR)/tenken.exe
WIN_ZIP        := dist/tenken-windows.zip
WIN_APT_PKGS   := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 zip file
SMOKE_APT_PKGS := wine wine64 imagemagick x11-utils xvfb xauth poppler-utils qpdf

.PHONY: deps build run demo test fuzz-short fuzz bench lint screenshots clean windows windows-smoke

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

demo: build ## sample town → import → inspect → report PDF, headless (into a fresh demo/)
	rm -rf $(DEMO_DIR)
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
	    if ! out=$$($(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg 2>&1); then
	      # Go's fuzzer can stop with a bare "context deadline exceeded" when
	      # -fuzztime ends while a worker is mid-input (golang/go#51484); it has
	      # found nothing then. A real finding always writes its input.
	      if echo "$$out" | grep -q 'context deadline exceeded' && ! echo "$$out" | grep -q 'Failing input written'; then
	        echo "fuzz: $$t: 時間切れの境界で fuzz エンジンが停止しました（入力の発見はなし、golang/go#51484）"
	        continue
	      fi
	      echo "$$out" | tail -60
	      echo "fuzz: $$pkg $$t が失敗しました（見つかった入力は $$pkg の testdata/fuzz/$$t に保存されます）"
	      exit 1
	    fi
	  done
	done
	echo "fuzz: all targets ran without failure"

fuzz: FUZZTIME = 10m
fuzz: fuzz-short

bench: deps ## speed and memory targets, with their reference measurements and ratios (bin/bench.txt)
	mkdir -p bin
	$(GO) test -run '^$$' -bench . -benchmem -count 1 -timeout 3h ./... | tee bin/bench.txt
	echo "== 目標との比較 (ratio: import ≤ 1.5 × sqlite3 .import+index; rules ≤ 2 × GROUP BY; report: 100 pages ≤ 3 s; 1年1,000万行の点検: peak-rss-MB ≤ 500) =="
	grep -E '^Benchmark(ImportVsSQLite|RulesVsReference|Report|InspectYear)' bin/bench.txt || true

lint: deps ## go vet, and staticcheck when the module proxy has it
	$(GO) vet ./...
	if $(GO) run honnef.co/go/tools/cmd/staticcheck@latest -version >/dev/null 2>&1; then
	  $(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...
	else
	  echo "staticcheck を取得できないため go vet のみ実行しました"
	fi

screenshots: build ## PNG of each screen under Xvfb at 1366x768 (into screenshots/)
	xvfb-run -a -s "-screen 0 1366x768x24" $(GO) test -count=1 -run TestScreenshots ./app -args -screenshots=$(CURDIR)/screenshots

# Target-specific APT_PKGS reach the deps prerequisite, so it installs the
# cross-compiler (and Wine) only for these targets.
windows: APT_PKGS += $(WIN_APT_PKGS)
windows: deps ## tenken.exe (GUI subsystem, icon and version from FyneApp.toml) and dist/tenken-windows.zip
	rm -rf $(WIN_DIR) $(WIN_ZIP)
	mkdir -p $(WIN_DIR)/res $(WIN_DIR)/zip
	# Icon, version information and manifest as a COFF resource (.syso), which
	# go build links into the main package.
	$(GO) run .ci/winres/main.go -app FyneApp.toml -out $(WIN_DIR)/res
	( cd $(WIN_DIR)/res && x86_64-w64-mingw32-windres -c 65001 -O coff -i tenken.rc -o ../rsrc.syso )
	trap 'rm -f rsrc_windows_amd64.syso' EXIT
	cp $(WIN_DIR)/rsrc.syso rsrc_windows_amd64.syso
	start=$$(date +%s)
	CC=x86_64-w64-mingw32-gcc GOOS=windows GOARCH=amd64 $(GO) build -trimpath -ldflags "-H=windowsgui -s -w" -o $(WIN_EXE) .
	echo "tenken.exe: $$(( $$(date +%s) - start ))秒, $$(stat -c %s $(WIN_EXE)) バイト"
	info=$$(file $(WIN_EXE)); echo "$$info"
	case "$$info" in *"PE32+ executable (GUI) x86-64"*) ;; *) echo "tenken.exe が PE32+ の GUI 実行ファイルではありません"; exit 1;; esac
	cp $(WIN_EXE) $(WIN_DIR)/zip/
	sed 's/$$/\r/' README.md > $(WIN_DIR)/zip/README.txt
	sed 's/$$/\r/' fonts/LICENSE-IPAexfont.txt > $(WIN_DIR)/zip/LICENSE-IPAexfont.txt
	( cd $(WIN_DIR)/zip && zip -q -X -9 ../../tenken-windows.zip tenken.exe README.txt LICENSE-IPAexfont.txt )
	unzip -l $(WIN_ZIP)

windows-smoke: APT_PKGS += $(WIN_APT_PKGS) $(SMOKE_APT_PKGS)
windows-smoke: windows ## run tenken.exe under Wine: demo end to end, GUI screenshot (dist/windows-smoke/)
	bash .ci/wine/smoke.sh $(WIN_EXE) dist/windows-smoke

clean:
	rm -rf bin dist $(DEMO_DIR) screenshots
