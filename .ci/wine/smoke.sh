#!/usr/bin/env bash
# Runs the Windows build for real under Debian's Wine, without network:
#   1. a private Wine prefix with the ProcessPrng stand-in (processprng.c)
#   2. `tenken.exe help` and `tenken.exe demo` end to end; the report PDF is
#      checked like the Linux one (qpdf --check, the town's name in the text)
#   3. the GUI on the demo workspace under Xvfb, and a screenshot of it.
#
# Usage: .ci/wine/smoke.sh TENKEN_EXE OUTDIR
# Leaves OUTDIR/{help.txt,demo.txt,点検報告書.pdf,report.txt,screenshot.png}.
set -euo pipefail

exe=$(realpath "$1")
out=$(realpath -m "$2")
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out/ws" "$out"/*.png "$out"/*.pdf "$out"/*.txt
mkdir -p "$out"
export WINEPREFIX="$out/wineprefix"
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono or Gecko: Wine would offer to download them.
export WINEDLLOVERRIDES="mscoree,mshtml="
# Wine turns the Unix command line into UTF-16 through the locale: without
# a UTF-8 one the Japanese file names below would arrive mangled.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset DISPLAY

fail() { echo "windows-smoke: 失敗: $*" >&2; exit 1; }
step() { echo "windows-smoke: $*"; }

# Everything runs in a fresh network namespace when the kernel lets us make
# one, so the smoke run itself shows Tenken needs no network.
nonet=()
if unshare -rn true 2>/dev/null; then
  nonet=(unshare -rn)
elif unshare -n true 2>/dev/null; then
  nonet=(unshare -n)
fi

# A fresh prefix every run: one left over from an interrupted run (a
# wineserver killed mid-write) made GLFW fail to create its window
# ("Failed to create helper window"), and wineboot takes only seconds.
wineserver -k 2>/dev/null || true
rm -rf "$WINEPREFIX"
step "Wine の環境を作成しています ($WINEPREFIX)"
"${nonet[@]}" wineboot -i >"$out/wineboot.log" 2>&1 || { cat "$out/wineboot.log" >&2; fail "wineboot"; }
sys32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$sys32" ] || fail "$sys32 がありません"
step "ProcessPrng の代替 DLL を作成しています"
x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Werror -o "$sys32/bcryptprimitives.dll" "$here/processprng.c" -ladvapi32

winpath() { winepath -w "$1" 2>/dev/null; }
ws=$(winpath "$out/ws")
pdf_unix="$out/点検報告書.pdf"
pdf=$(winpath "$pdf_unix")

step "tenken.exe help"
"${nonet[@]}" wine "$exe" help >"$out/help.txt" 2>&1 || { cat "$out/help.txt" >&2; fail "tenken.exe help"; }
grep -q "使い方: tenken" "$out/help.txt" || { cat "$out/help.txt" >&2; fail "help の出力に「使い方」がありません"; }

# As a clerk types it in cmd.exe: the GUI-subsystem exe must still print
# there (main_windows.go attaches to the console) and give its exit status.
step "cmd.exe /c tenken.exe help"
(cd "$(dirname "$exe")" && "${nonet[@]}" wine cmd /c "$(basename "$exe") help") >"$out/cmd-help.txt" 2>&1 || { cat "$out/cmd-help.txt" >&2; fail "cmd /c tenken.exe help"; }
grep -q "使い方: tenken" "$out/cmd-help.txt" || { cat "$out/cmd-help.txt" >&2; fail "cmd.exe から起動したとき help が表示されません"; }
set +e
(cd "$(dirname "$exe")" && "${nonet[@]}" wine cmd /c "$(basename "$exe") そんなコマンド") >"$out/cmd-bad.txt" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || { cat "$out/cmd-bad.txt" >&2; fail "知らないコマンドの終了コードが $rc です（2 のはず）"; }
grep -q "というコマンドはありません" "$out/cmd-bad.txt" || { cat "$out/cmd-bad.txt" >&2; fail "知らないコマンドのエラーが表示されません"; }

step "tenken.exe demo --workspace $ws --out $pdf"
start=$(date +%s)
"${nonet[@]}" wine "$exe" demo --workspace "$ws" --out "$pdf" >"$out/demo.txt" 2>&1 || { cat "$out/demo.txt" >&2; fail "tenken.exe demo"; }
step "demo: $(( $(date +%s) - start )) 秒"
cat "$out/demo.txt"
town=$(sed -n 's/^サンプルの町「\([^」]*\)」.*/\1/p' "$out/demo.txt")
[ -n "$town" ] || fail "demo の出力に町の名前がありません"
[ -s "$pdf_unix" ] || fail "報告書 $pdf_unix がありません"
qpdf --check "$pdf_unix" >"$out/qpdf.txt" 2>&1 || { cat "$out/qpdf.txt" >&2; fail "qpdf --check"; }
pdftotext -enc UTF-8 "$pdf_unix" "$out/report.txt"
grep -q "$town" "$out/report.txt" || fail "報告書の本文に「$town」がありません"
grep -q "点検" "$out/report.txt" || fail "報告書の本文に「点検」がありません"
pages=$(pdfinfo "$pdf_unix" | sed -n 's/^Pages: *//p')
step "報告書: $(stat -c %s "$pdf_unix") バイト, $pages ページ, 町「$town」"
[ "$(stat -c %s "$out/ws/tenken.db")" -gt 0 ] || fail "tenken.db が空です"

step "画面（GUI）を Xvfb で開いています"
shot="$out/screenshot.png"
# The window is found by its title 点検; the picture is taken once two
# successive captures agree (Fyne has finished drawing).
"${nonet[@]}" xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
  set -u
  wine "$1" gui --workspace "$2" >"$3/gui.log" 2>&1 &
  found=""
  for i in $(seq 1 90); do
    sleep 2
    if xwininfo -root -tree 2>/dev/null | grep -q "\"点検\""; then found=1; break; fi
  done
  if [ -z "$found" ]; then echo "window not found" >&2; wineserver -k; exit 1; fi
  prev=""
  for i in $(seq 1 30); do
    sleep 2
    import -window root "$3/shot-$i.png"
    sum=$(convert "$3/shot-$i.png" rgb:- | md5sum)
    if [ "$sum" = "$prev" ]; then cp "$3/shot-$i.png" "$4"; break; fi
    prev=$sum
  done
  rm -f "$3"/shot-*.png
  wineserver -k
  [ -s "$4" ]
' _ "$exe" "$ws" "$out" "$shot" || { cat "$out/gui.log" >&2 || true; fail "画面が表示されませんでした"; }
colours=$(identify -format %k "$shot")
# A blank or single-colour window has a handful of colours; anti-aliased
# Japanese text on Fyne's theme gives hundreds.
[ "$colours" -gt 64 ] || fail "スクリーンショットの色数が $colours しかありません（何も描かれていません）"
step "スクリーンショット: $shot（${colours}色）"
step "成功"
