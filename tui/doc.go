// Package tui is btui's full-screen operator console built on bubbletea v2.
package tui
