//go:build !race

package main

const naclRace = false
