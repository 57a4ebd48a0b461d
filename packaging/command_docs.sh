#!/usr/bin/env bash
# Writes sohoa's man pages and bash completion from what the built program
# says about itself, so both stay true when a command or an option changes:
#   packaging/command_docs.sh SOHOA VERSION OUTDIR
#     OUTDIR/man1/sohoa.1.gz, OUTDIR/man1/sohoa-<command>.1.gz  (help2man, from --help)
#     OUTDIR/bash-completion/sohoa                         (commands, their options)
# Run by the build (cmake/packaging.cmake) after sohoa is linked.
set -euo pipefail
sohoa=$(realpath "$1")
version=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)
# The man pages are English: the programs' help follows SOHOA_UI_LANG (issue 20).
export SOHOA_UI_LANG=en
mkdir -p "$out/man1" "$out/bash-completion" "$out/wrappers"

# The commands and their one-line descriptions: the top-level help lists them
# as "  NAME  description" under "commands:".
mapfile -t lines < <("$sohoa" --help | sed -n '/^commands:/,/^$/p' | grep -E '^  [a-z]')
commands=()
for line in "${lines[@]}"; do commands+=("$(awk '{print $1}' <<<"$line")"); done
((${#commands[@]} > 5)) || { echo "command_docs: no commands in '$sohoa --help'" >&2; exit 1; }

h2m=(help2man --no-info --no-discard-stderr --version-string="$version" --source="sohoa $version"
     --manual="sohoa manual" --include="$here/man_common.h2m")
"${h2m[@]}" --name="digitize paper administrative-procedure results" --output="$out/man1/sohoa.1" "$sohoa"

# Each command's help, read once (a start of sohoa takes a second: in parallel).
mkdir -p "$out/help"
pids=()
for command in "${commands[@]}"; do
  [[ $command == version ]] && continue
  { "$sohoa" "$command" --help >"$out/help/$command" 2>&1 || true; } &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

pids=()
for i in "${!commands[@]}"; do
  command=${commands[$i]}
  [[ $command == version ]] && continue
  description=$(sed -E "s/^  $command( [a-z]+)? +//" <<<"${lines[$i]}")
  # help2man names the page after the program it runs: a two-line wrapper
  # named sohoa-<command>.
  wrapper="$out/wrappers/sohoa-$command"
  printf '#!/bin/sh\nexec %q %q "$@"\n' "$sohoa" "$command" >"$wrapper"
  chmod +x "$wrapper"
  "${h2m[@]}" --name="$description" --output="$out/man1/sohoa-$command.1" "$wrapper" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
gzip -9nf "$out"/man1/*.1  # Debian installs man pages compressed

# Bash completion: each command's options and, for commands with their own
# subcommands (ledger check|backup|rebuild), those, as its help shows them.
{
  echo "# bash completion for sohoa — generated from 'sohoa --help' by packaging/command_docs.sh"
  echo "_sohoa() {"
  echo '  local cur=${COMP_WORDS[COMP_CWORD]} words=""'
  echo '  if ((COMP_CWORD == 1)); then'
  echo "    words=\"${commands[*]} --help\""
  echo '  else'
  echo '    case ${COMP_WORDS[1]} in'
  for command in "${commands[@]}"; do
    [[ $command == version ]] && continue
    help="$out/help/$command"
    options=$(grep -oE -- '--[a-z][a-z0-9-]*' "$help" | sort -u | tr '\n' ' ')
    # Its own subcommands, as its usage lines show them ("sohoa ledger check …").
    subcommands=$(grep -oE "sohoa $command [a-z]+" "$help" | awk '$3 != "options" {print $3}' | sort -u | tr '\n' ' ' || true)
    echo "      $command) words=\"${subcommands}${options% }\" ;;"
  done
  echo '    esac'
  echo '  fi'
  echo '  if [[ $cur == -* || COMP_CWORD -eq 1 ]]; then'
  echo '    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")'
  echo '  elif ((COMP_CWORD == 2)); then'
  echo '    mapfile -t COMPREPLY < <(compgen -W "${words%%--*}" -- "$cur")'
  echo '  fi'
  echo '}'
  echo '# Option values and anything else: file names (-o default).'
  echo 'complete -o default -F _sohoa sohoa'
} >"$out/bash-completion/sohoa"
rm -rf "$out/wrappers" "$out/help"
