//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// tenken.exe is linked as a GUI program (-H=windowsgui) so that double-
// clicking it opens no black console window. Such a program gets no console
// of its own, so when a clerk types `tenken.exe inspect ...` in cmd.exe or
// PowerShell its messages would vanish. Attaching to the parent's console
// before anything is printed makes the subcommands talk to the window they
// were typed in. It runs in init so that it precedes every write in main.
func init() {
	if len(os.Args) < 2 || os.Args[1] == "gui" {
		return
	}
	attachParentConsole()
}

// attachParentDefault is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentDefault = ^uintptr(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

func attachParentConsole() {
	// Handles that already lead somewhere (a redirection to a file or a
	// pipe, `tenken.exe findings > a.json`) are kept: replacing them by the
	// console would send the output to the screen instead of the file.
	outOK := usable(windows.STD_OUTPUT_HANDLE)
	errOK := usable(windows.STD_ERROR_HANDLE)
	inOK := usable(windows.STD_INPUT_HANDLE)
	if outOK && errOK && inOK {
		return
	}
	if procAttachConsole.Find() != nil {
		return
	}
	if r, _, _ := procAttachConsole.Call(attachParentDefault); r == 0 {
		// Started from Explorer or by a program without a console: there is
		// nowhere to print, and the exit status still tells the outcome.
		return
	}
	if !outOK {
		if f := openConsole("CONOUT$", windows.STD_OUTPUT_HANDLE); f != nil {
			os.Stdout = f
		}
	}
	if !errOK {
		if f := openConsole("CONOUT$", windows.STD_ERROR_HANDLE); f != nil {
			os.Stderr = f
		}
	}
	if !inOK {
		if f := openConsole("CONIN$", windows.STD_INPUT_HANDLE); f != nil {
			os.Stdin = f
		}
	}
}

// usable reports whether the standard handle refers to an open file, pipe
// or console.
func usable(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

func openConsole(name string, std uint32) *os.File {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil
	}
	if std != windows.STD_INPUT_HANDLE {
		// The progress bar redraws its line with ANSI sequences; Windows 10
		// consoles understand them once asked to.
		var mode uint32
		if windows.GetConsoleMode(h, &mode) == nil {
			_ = windows.SetConsoleMode(h, mode|windows.ENABLE_PROCESSED_OUTPUT|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING)
		}
	}
	_ = windows.SetStdHandle(std, h)
	return os.NewFile(uintptr(h), name)
}
