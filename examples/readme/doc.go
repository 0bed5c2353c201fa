// Package readme holds no code: its tests run the snippets of the
// repository's README.md at fixed clocks (03:00, 12:00 and 20:00 UTC) and
// check that the README still shows the code they run and the output they
// print, so a snippet that prints one thing by day and another by night
// cannot slip back in.
package readme
