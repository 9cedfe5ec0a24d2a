# bash completion for mamori — installed as
# /usr/share/bash-completion/completions/mamori.
_mamori()
{
    local cur prev cmd
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="audit logscan authscan help"
    local common="--format --output --lang --min-severity --fail-on --quiet
        --color --no-color --no-progress --since --until --threads --help"

    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    cmd=${COMP_WORDS[1]}
    case $prev in
        -f|--format) COMPREPLY=($(compgen -W "text json sarif html" -- "$cur")); return ;;
        --lang) COMPREPLY=($(compgen -W "en ja" -- "$cur")); return ;;
        --min-severity) COMPREPLY=($(compgen -W "info low medium high critical" -- "$cur")); return ;;
        --fail-on) COMPREPLY=($(compgen -W "info low medium high critical none" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --emit) COMPREPLY=($(compgen -W "nft fail2ban hosts-deny" -- "$cur")); return ;;
        --journal-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --emit-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --threshold) COMPREPLY=($(compgen -W "bf-failures= bf-window= enum-accounts=
            spray-accounts= spray-per-account= stuffing-accounts= stuffing-sources=
            stuffing-window= distributed-sources= distributed-failures=
            breakin-failures= breakin-other-accounts= long-session=" -- "$cur")); return ;;
        -j|--threads|--since|--until|--log-format|--nginx-format|--max-clients|--max-paths|\
        --allow|--hours|--login-path|--privileged|--memory) return ;;
    esac
    if [[ $cur == -* ]]; then
        case $cmd in
            logscan) COMPREPLY=($(compgen -W "$common --log-format --nginx-format --max-clients --max-paths" -- "$cur")) ;;
            audit) COMPREPLY=($(compgen -W "$common --no-system" -- "$cur")) ;;
            authscan) COMPREPLY=($(compgen -W "$common --journal --journal-dir --allow
                --hours --login-path --privileged --threshold --memory --emit
                --emit-file" -- "$cur")) ;;
            help) ;;
        esac
        return
    fi
    case $cmd in
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o filenames -F _mamori mamori
