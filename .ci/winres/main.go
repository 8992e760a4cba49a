// Command winres writes the Windows resources of tenken.exe — icon,
// version information and application manifest — as a resource script for
// x86_64-w64-mingw32-windres, from FyneApp.toml and its icon.
//
// Usage: go run .ci/winres/main.go -app FyneApp.toml -out DIR
//
// It stands in for `fyne package` so that the Windows build needs nothing
// but Debian's mingw-w64 packages and works without network access: the
// fyne command would have to be fetched from the module proxy first.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	appFile := flag.String("app", "FyneApp.toml", "FyneApp.toml of the application")
	out := flag.String("out", "build/windows", "directory for tenken.rc, tenken.ico and tenken.manifest")
	flag.Parse()
	if err := run(*appFile, *out); err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
}

type appInfo struct {
	Icon, Name, ID, Version string
	Build                   int
}

func run(appFile, out string) error {
	info, err := readApp(appFile)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	iconPath := filepath.Join(filepath.Dir(appFile), info.Icon)
	ico, err := makeICO(iconPath)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "tenken.ico"), ico, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "tenken.manifest"), []byte(manifest(info)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "tenken.rc"), []byte(resourceScript(info)), 0o644)
}

// readApp reads the [Details] table of FyneApp.toml. The file is flat
// key = value pairs, so a line reader is enough and keeps the build free of
// a TOML dependency.
func readApp(path string) (appInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return appInfo{}, err
	}
	defer f.Close()
	var info appInfo
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "Details" {
			continue
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		switch k {
		case "Icon":
			info.Icon = v
		case "Name":
			info.Name = v
		case "ID":
			info.ID = v
		case "Version":
			info.Version = v
		case "Build":
			if info.Build, err = strconv.Atoi(v); err != nil {
				return info, fmt.Errorf("%s: Build %q is not a number", path, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return info, err
	}
	if info.Icon == "" || info.Name == "" || info.Version == "" {
		return info, fmt.Errorf("%s: [Details] needs Icon, Name and Version", path)
	}
	return info, nil
}

// versionQuad turns "0.1.0" and build 1 into the four numbers of a Windows
// FILEVERSION.
func versionQuad(v string, build int) ([4]int, error) {
	var q [4]int
	parts := strings.Split(v, ".")
	if len(parts) > 3 {
		return q, fmt.Errorf("version %q has more than three parts", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return q, fmt.Errorf("version %q: part %q is not a number 0..65535", v, p)
		}
		q[i] = n
	}
	q[3] = build
	return q, nil
}

func resourceScript(info appInfo) string {
	q, err := versionQuad(info.Version, info.Build)
	if err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
	quad := fmt.Sprintf("%d,%d,%d,%d", q[0], q[1], q[2], q[3])
	dotted := fmt.Sprintf("%d.%d.%d.%d", q[0], q[1], q[2], q[3])
	// windres reads the script as UTF-8 (-c 65001); the strings stay ASCII
	// except the description, which Explorer shows in the file's details.
	return fmt.Sprintf(`#pragma code_page(65001)
#include <winver.h>

1 ICON "tenken.ico"
1 24 "tenken.manifest"

VS_VERSION_INFO VERSIONINFO
FILEVERSION %[1]s
PRODUCTVERSION %[1]s
FILEFLAGSMASK 0x3fL
FILEFLAGS 0x0L
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
FILESUBTYPE 0x0L
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041104B0"
    BEGIN
      VALUE "CompanyName", "%[3]s\0"
      VALUE "FileDescription", "点検（%[4]s）アクセスログ点検\0"
      VALUE "FileVersion", "%[2]s\0"
      VALUE "InternalName", "tenken\0"
      VALUE "OriginalFilename", "tenken.exe\0"
      VALUE "ProductName", "点検（%[4]s）\0"
      VALUE "ProductVersion", "%[5]s\0"
      VALUE "LegalCopyright", "IPAexフォント: IPAフォントライセンスv1.0\0"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0411, 1200
  END
END
`, quad, dotted, info.ID, info.Name, info.Version)
}

// manifest asks for no elevation (asInvoker: a clerk without
// administrator rights can run it, and Windows does not guess that a file
// named like a setup program needs them), per-monitor DPI awareness (crisp
// text on scaled laptop screens) and the modern common controls.
func manifest(info appInfo) string {
	q, _ := versionQuad(info.Version, info.Build)
	id := info.ID
	if id == "" {
		id = "tenken"
	}
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="%s" version="%d.%d.%d.%d" processorArchitecture="amd64"/>
  <description>%s</description>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
      <supportedOS Id="{1f676c76-80e1-4239-95bb-83d0f6d0da78}"/>
    </application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">permonitorv2,permonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
  <dependency>
    <dependentAssembly>
      <assemblyIdentity type="win32" name="Microsoft.Windows.Common-Controls" version="6.0.0.0" processorArchitecture="*" publicKeyToken="6595b64144ccf1df" language="*"/>
    </dependentAssembly>
  </dependency>
</assembly>
`, id, q[0], q[1], q[2], q[3], info.Name)
}

// makeICO writes an .ico holding the icon at 256, 48, 32 and 16 pixels,
// each entry a PNG (supported by Windows since Vista).
func makeICO(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sizes := []int{256, 48, 32, 16}
	var imgs [][]byte
	for _, s := range sizes {
		var buf bytes.Buffer
		if err := png.Encode(&buf, scale(src, s)); err != nil {
			return nil, err
		}
		imgs = append(imgs, buf.Bytes())
	}
	var out bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&out, le, [3]uint16{0, 1, uint16(len(sizes))}) // reserved, type icon, count
	offset := 6 + 16*len(sizes)
	for i, s := range sizes {
		b := uint8(s)
		if s >= 256 {
			b = 0 // 0 means 256 in an ICONDIRENTRY
		}
		out.Write([]byte{b, b, 0, 0})
		binary.Write(&out, le, [2]uint16{1, 32}) // planes, bits per pixel
		binary.Write(&out, le, [2]uint32{uint32(len(imgs[i])), uint32(offset)})
		offset += len(imgs[i])
	}
	for _, b := range imgs {
		out.Write(b)
	}
	return out.Bytes(), nil
}

// scale resizes src to n×n by averaging the source pixels that fall into
// each target pixel (premultiplied, so transparent edges do not darken).
func scale(src image.Image, n int) image.Image {
	b := src.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, src, b.Min, draw.Src)
	if b.Dx() == n && b.Dy() == n {
		return rgba
	}
	dst := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		y0, y1 := b.Min.Y+y*b.Dy()/n, b.Min.Y+(y+1)*b.Dy()/n
		for x := 0; x < n; x++ {
			x0, x1 := b.Min.X+x*b.Dx()/n, b.Min.X+(x+1)*b.Dx()/n
			var r, g, bl, a, cnt uint64
			for sy := y0; sy < max(y1, y0+1); sy++ {
				for sx := x0; sx < max(x1, x0+1); sx++ {
					c := rgba.RGBAAt(sx, sy)
					r, g, bl, a = r+uint64(c.R), g+uint64(c.G), bl+uint64(c.B), a+uint64(c.A)
					cnt++
				}
			}
			if a == 0 {
				continue
			}
			// Un-premultiply: colour sums are weighted by alpha already.
			dst.SetNRGBA(x, y, color.NRGBA{
				R: uint8(min(255, r*255/a)), G: uint8(min(255, g*255/a)), B: uint8(min(255, bl*255/a)), A: uint8(a / cnt),
			})
		}
	}
	return dst
}
