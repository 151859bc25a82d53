package tui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func typeInto(u interface {
	Update(tea.Msg) (dialogResult, tea.Cmd)
}, keys ...string) dialogResult {
	res := dialogOpen
	for _, k := range keys {
		if rest, ok := strings.CutPrefix(k, "text:"); ok {
			for _, r := range rest {
				res, _ = u.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		res, _ = u.Update(keyMsg(k))
	}
	return res
}

func TestPasswordPromptNoEcho(t *testing.T) {
	c := testCommon()
	p := newPasswordPrompt(c, "Unlock", "detail", false)
	p.Focus()
	if res := typeInto(p, "text:s3cret!"); res != dialogOpen {
		t.Fatalf("result %v while typing", res)
	}
	view := ansi.Strip(p.View(60))
	if strings.Contains(view, "s3cret") || strings.Contains(view, "*******") {
		t.Fatalf("password echoed:\n%s", view)
	}
	if res := typeInto(p, "enter"); res != dialogSubmit {
		t.Fatalf("enter gave %v", res)
	}
	pw := p.Take()
	if string(pw) != "s3cret!" {
		t.Fatalf("password %q", pw)
	}
	if p.Take() != nil {
		t.Fatal("Take must hand the password over once")
	}
	wipe(pw)
	if string(pw) != strings.Repeat("\x00", 7) {
		t.Fatal("wipe did not zero the password")
	}
}

func TestPasswordPromptConfirmAndEmpty(t *testing.T) {
	c := testCommon()
	p := newPasswordPrompt(c, "New", "", true)
	p.Focus()
	if res := typeInto(p, "enter"); res != dialogOpen || !errors.Is(p.err, ErrEmptyPassword) {
		t.Fatalf("empty password accepted: %v %v", res, p.err)
	}
	if res := typeInto(p, "text:aa", "enter", "text:ab", "enter"); res != dialogOpen || !errors.Is(p.err, ErrPasswordMismatch) {
		t.Fatalf("mismatch accepted: %v %v", res, p.err)
	}
	if res := typeInto(p, "text:ab", "enter", "text:ab", "enter"); res != dialogSubmit {
		t.Fatalf("matching passwords refused: %v %v", res, p.err)
	}
	if string(p.Take()) != "ab" {
		t.Fatal("wrong password handed over")
	}
	p.SetError(errWrongPassword)
	if !strings.Contains(ansi.Strip(p.View(60)), "wrong password") {
		t.Fatal("error not shown")
	}
	if res := typeInto(p, "esc"); res != dialogCancel {
		t.Fatal("esc did not cancel")
	}
}

func TestConfirmDialog(t *testing.T) {
	c := testCommon()
	preview := []PreviewLine{{Label: "amount", Value: "1.000000000 τ"}, {Label: "slippage", Value: "7.5 %", Warn: true}}
	d := newConfirmDialog(c, "Add stake", preview, "fee 0.000125 τ")
	view := ansi.Strip(d.View(60))
	for _, s := range []string{"Add stake", "amount", "1.000000000 τ", "slippage", "7.5 %", "Confirm (y)", "Cancel (n)"} {
		if !strings.Contains(view, s) {
			t.Fatalf("preview lacks %q:\n%s", s, view)
		}
	}
	if typeInto(d, "y") != dialogSubmit || typeInto(d, "n") != dialogCancel || typeInto(d, "esc") != dialogCancel {
		t.Fatal("y/n/esc")
	}
	if typeInto(d, "right", "enter") != dialogCancel {
		t.Fatal("enter on Cancel must cancel")
	}
	if typeInto(d, "left", "enter") != dialogSubmit {
		t.Fatal("enter on Confirm must confirm")
	}
	if typeInto(d, "x") != dialogOpen {
		t.Fatal("other keys must leave the dialog open")
	}
}

func TestFormValidation(t *testing.T) {
	c := testCommon()
	f := newForm(c, "Transfer",
		formField{Label: "to", Validate: func(s string) error {
			if s == "" {
				return errors.New("give a destination")
			}
			return nil
		}},
		formField{Label: "amount", Value: "1"},
	)
	f.Focus()
	if res := typeInto(f, "enter", "enter"); res != dialogOpen || f.err == nil || f.focus != 0 {
		t.Fatalf("invalid form submitted: %v %v focus %d", res, f.err, f.focus)
	}
	if !strings.Contains(ansi.Strip(f.View(60)), "give a destination") {
		t.Fatal("validation error not shown")
	}
	if res := typeInto(f, "text:bob", "tab", "backspace", "text:2.5", "enter"); res != dialogSubmit {
		t.Fatalf("valid form not submitted: %v", f.err)
	}
	if v := f.Values(); v[0] != "bob" || v[1] != "2.5" {
		t.Fatalf("values %v", v)
	}
}
