# bash completion for sim (installed by `make install` as
# PREFIX/share/bash-completion/completions/sim). Commands, each command's options
# (as `sim COMMAND --help` lists them), and file names: scenarios (*.cfg) for
# run/validate/sweep/calibrate, output files (*.h5) for info/compare/report.
_sim()
{
    local cur prev cmd opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "run validate info compare report sweep merge calibrate help --help --version" -- "$cur"))
        return
    fi
    case $prev in
        -d|--detail) COMPREPLY=($(compgen -W "summary series events" -- "$cur")); return ;;
        --algorithm) COMPREPLY=($(compgen -W "bobyqa sbplx neldermead cobyla" -- "$cur")); return ;;
        -o|--output|--markdown) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -t|--threads|-r|--replications|-s|--seed|--sample|--scale|--set|--task|--tasks|--max-evals|--metric) return ;;
    esac
    case $cmd in
        run|validate) opts="-o --output -t --threads -r --replications -s --seed --set --scale -d --detail --sample --progress -q --quiet -h --help" ;;
        sweep) opts="-o --output --dry-run --task --tasks --force -t --threads -r --replications --set --scale -q --quiet -h --help" ;;
        calibrate) opts="-o --output --check --markdown --scale --max-evals --algorithm --fresh -r -t -s --set -q -h --help" ;;
        compare) opts="--csv --csv-nl --json --metric --regions --from --to -h --help" ;;
        report) opts="-o --output --metric -h --help" ;;
        merge) opts="-o --output --allow-missing --series -q --quiet -h --help" ;;
        info) opts="-h --help" ;;
        help) COMPREPLY=($(compgen -W "run validate info compare report sweep merge calibrate" -- "$cur")); return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $cmd == info || $cmd == compare || $cmd == report ]]; then
        COMPREPLY=($(compgen -f -X '!*.h5' -- "$cur") $(compgen -d -- "$cur"))
    elif [[ $cmd == merge ]]; then
        COMPREPLY=($(compgen -d -- "$cur"))
    else
        COMPREPLY=($(compgen -f -X '!*.cfg' -- "$cur") $(compgen -d -- "$cur"))
    fi
}
complete -o filenames -F _sim sim
