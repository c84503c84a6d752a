# Warden's build and test entry points. `make help` lists them.
GO        ?= go
FUZZTIME  ?= 30000x
# Every fuzz target, as package:Target; fuzz-smoke runs each for FUZZTIME.
FUZZ_TARGETS := \
	./arn:FuzzParse \
	./arn:FuzzPatternMatch \
	./policy:FuzzParse \
	./policy:FuzzParseJSONTree \
	./policy:FuzzRuleMatchesService \
	./internal/simulate:FuzzRun \
	./internal/api/query:FuzzDecode \
	./internal/api/jsonproto:FuzzDecode \
	./internal/sigv4:FuzzParseAuthorization \
	./internal/sigv4:FuzzVerify \
	./internal/sts:FuzzOpen \
	./internal/sts:FuzzDecodeSession \
	./internal/sts/saml:FuzzVerify \
	./internal/iam:FuzzParseServerCertificate \
	./internal/iam:FuzzParseSSHPublicKey \
	./internal/iam:FuzzLastAccessedSubject \
	./internal/iam:FuzzParseSigningCertificate

.PHONY: help build test check test-race fuzz-smoke smoke bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build the warden binary into ./bin
	$(GO) build -o bin/warden ./cmd/warden

test: check test-race fuzz-smoke smoke ## everything CI runs: formatting, vet, all tests with -race, fuzz runs, the aws CLI and boto3 smoke test

check: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

test-race: ## all tests (fuzz seed corpora included) with the race detector
	$(GO) test -race -count=1 ./...

fuzz-smoke: ## run every fuzz target for FUZZTIME (an execution count: a time limit can end a run mid-input and fail it spuriously)
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

smoke: ## the aws CLI and boto3 against a real server (needs both installed)
	bash test/smoke/smoke.sh

bench: ## the hot-path benchmarks, as reported in issue notes
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./authz ./arn ./policy ./internal/sigv4 ./internal/server
