#!/bin/sh
# Fills fuzz/corpus/<target>/ (not committed) with the repository's real files, the small
# hand-written seeds in fuzz/seeds/<target>/ and the regression inputs in
# fuzz/regressions/<target>/. Run it from anywhere; it is safe to run again.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"

copy() { # copy TARGET FILE...: each file under a name that keeps where it came from
    target=$1
    shift
    mkdir -p "$fuzz/corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] || continue
        name=$(printf '%s' "${f#"$root"/}" | tr '/' '_')
        cp "$f" "$fuzz/corpus/$target/$name"
    done
}

copy lab_yaml "$root"/labs/*/lab.yaml "$root"/tests/fixtures/labs/*/lab.yaml
copy quiz_yaml "$root"/quizzes/*.yaml "$root"/tests/fixtures/quizzes/*.yaml \
    "$root"/tests/fixtures/hardening/merged*.yaml
copy answers_yaml "$root"/tests/fixtures/answers/*.yaml "$root"/tests/fixtures/hardening/*answers*.yaml
copy script "$root"/examples/*.rhai "$root"/labs/*/*.rhai "$root"/labs/*/wrong/*.rhai \
    "$root"/tests/fixtures/*.rhai "$root"/tests/fixtures/cases/*/*.rhai \
    "$root"/tests/fixtures/loop/*.rhai
for t in lab_yaml quiz_yaml answers_yaml guest_shell script aws_cli; do
    for dir in seeds regressions; do
        [ -d "$fuzz/$dir/$t" ] && copy "$t" "$fuzz/$dir/$t"/*
    done
    mkdir -p "$fuzz/corpus/$t"
done
for t in lab_yaml quiz_yaml answers_yaml guest_shell script aws_cli; do
    printf '%-13s %4d files\n' "$t" "$(ls "$fuzz/corpus/$t" | wc -l)"
done
