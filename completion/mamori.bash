# bash completion for mamori — installed as
# /usr/share/bash-completion/completions/mamori.
_mamori()
{
    local cur prev cmd
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="audit logscan authscan password dns help"
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
        --from-file|--trust-anchor|--https-ca) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --resolver|--domain|--dkim-selector|--timeout|--concurrency|--https-port|--ip|--mail-from|--helo) return ;;
        --policy) COMPREPLY=($(compgen -W "ipa nist" -f -- "$cur")); return ;;
        --breach-list|--root) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --user|--name|--email|--service) return ;;
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
            audit) COMPREPLY=($(compgen -W "$common --no-system --root --domain --resolver" -- "$cur")) ;;
            dns) COMPREPLY=($(compgen -W "$common --from-file --resolver --trust-anchor
                --dkim-selector --timeout --concurrency --no-https --ip --mail-from
                --helo" -- "$cur")) ;;
            password) COMPREPLY=($(compgen -W "$common --stdin --policy --mfa --user
                --name --email --service --breach-list --root" -- "$cur")) ;;
            authscan) COMPREPLY=($(compgen -W "$common --journal --journal-dir --allow
                --hours --login-path --privileged --threshold --memory --emit
                --emit-file" -- "$cur")) ;;
            help) ;;
        esac
        return
    fi
    case $cmd in
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
        dns) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "spf-eval" -- "$cur")) ;;
        password) if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "check audit policy info" -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -o filenames -F _mamori mamori
