# Herald's developer entry points. `make test` is the whole suite: it brings up
# a throwaway Redis and PostgreSQL on 127.0.0.1 (installing the Debian
# packages when missing), the Prism mock and headless Chromium, then runs
# `go test` in every module. Pass extra go test flags with TESTFLAGS.
TESTFLAGS ?= -count=1

.PHONY: test check bench fuzz

test:
	./scripts/test.sh $(TESTFLAGS)

check:
	./.ci/run

bench:
	go test -run '^$$' -bench . -benchmem ./...

# Every fuzz target for FUZZTIME each (default 30s); `make test` runs their
# seed corpora.
fuzz:
	./scripts/fuzz.sh
