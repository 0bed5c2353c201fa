// Package e2e holds the console's end-to-end test: it serves the console
// with the fake provider (./server) and drives it in headless Chromium with
// playwright-core (scenario.js). Run it with `make test`, which installs
// Chromium and playwright-core and sets HERALD_CHROMIUM and
// HERALD_NODE_MODULES.
package e2e
