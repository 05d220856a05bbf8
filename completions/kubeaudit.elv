
use builtin;
use str;

set edit:completion:arg-completer[kubeaudit] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubeaudit'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubeaudit'= {
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand can-i 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)'
            cand review 'Evaluate SubjectAccessReview objects exactly as given and print them with their status'
            cand default-deny 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction'
            cand can-reach 'Check whether a pod or address can open a connection to another, and show why'
            cand netpol-matrix 'Print the pod × pod reachability grid for one port and protocol'
            cand snapshot 'Fetch everything from the cluster into one file that -f reads back with the same answers'
            cand contexts 'List kubeconfig contexts and audit their credentials'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeaudit;can-i'= {
            cand --subresource 'A subresource, e.g. log, status, scale'
            cand -o 'Output format'
            cand --output 'Output format'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -q 'Print nothing; only the exit code tells'
            cand --quiet 'Print nothing; only the exit code tells'
            cand --explain 'Show the binding, role and rule behind the answer (same as -o wide)'
            cand --verify 'Also ask the API server (SelfSubjectAccessReview, or SubjectAccessReview with --as) and report whether it agrees'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;review'= {
            cand -o 'Output format: yaml (a multi-document stream) or json (one List)'
            cand --output 'Output format: yaml (a multi-document stream) or json (one List)'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;default-deny'= {
            cand --direction 'Which directions must be denied by default'
            cand --exclude-namespace 'Leave out namespaces matching this glob (e.g. ''kube-*''); repeatable'
            cand -o 'Output format: wide adds the policies and the pods that are not isolated'
            cand --output 'Output format: wide adds the policies and the pods that are not isolated'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;can-reach'= {
            cand -p 'Destination port: a number (1-65535) or the name of a port of the destination pod'
            cand --port 'Destination port: a number (1-65535) or the name of a port of the destination pod'
            cand --protocol 'Protocol'
            cand -o 'Output format: wide adds every matching rule, the isolating policies and notes'
            cand --output 'Output format: wide adds every matching rule, the isolating policies and notes'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;netpol-matrix'= {
            cand -p 'Destination port (1-65535)'
            cand --port 'Destination port (1-65535)'
            cand --protocol 'Protocol'
            cand --exclude-namespace 'Leave out namespaces matching this glob (e.g. ''kube-*''); repeatable'
            cand -o 'Output format: wide adds the egress-only and ingress-only grids'
            cand --output 'Output format: wide adds the egress-only and ingress-only grids'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;snapshot'= {
            cand -o 'The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically'
            cand --output 'The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;contexts'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;completions'= {
            cand -f 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --filename 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable'
            cand --kubeconfig 'Path to the kubeconfig file (used alone; it must exist)'
            cand --context 'The kubeconfig context to use'
            cand --cluster 'The kubeconfig cluster to use'
            cand --user 'The kubeconfig user to use'
            cand -n 'Namespace scope (default: the context''s namespace, else "default")'
            cand --namespace 'Namespace scope (default: the context''s namespace, else "default")'
            cand --as 'User to evaluate for: a user name or system:serviceaccount:NS:NAME'
            cand --as-group 'Group to evaluate for; repeatable'
            cand --request-timeout 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)'
            cand --chunk-size 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)'
            cand --color 'When to colour output'
            cand -A 'All namespaces (overrides --namespace, as in kubectl)'
            cand --all-namespaces 'All namespaces (overrides --namespace, as in kubectl)'
            cand --allow-incomplete 'Answer from partial data with a warning instead of exiting 2 when data is missing'
            cand --no-headers 'Omit table headers'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'kubeaudit;help'= {
            cand can-i 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)'
            cand review 'Evaluate SubjectAccessReview objects exactly as given and print them with their status'
            cand default-deny 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction'
            cand can-reach 'Check whether a pod or address can open a connection to another, and show why'
            cand netpol-matrix 'Print the pod × pod reachability grid for one port and protocol'
            cand snapshot 'Fetch everything from the cluster into one file that -f reads back with the same answers'
            cand contexts 'List kubeconfig contexts and audit their credentials'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubeaudit;help;can-i'= {
        }
        &'kubeaudit;help;review'= {
        }
        &'kubeaudit;help;default-deny'= {
        }
        &'kubeaudit;help;can-reach'= {
        }
        &'kubeaudit;help;netpol-matrix'= {
        }
        &'kubeaudit;help;snapshot'= {
        }
        &'kubeaudit;help;contexts'= {
        }
        &'kubeaudit;help;completions'= {
        }
        &'kubeaudit;help;help'= {
        }
    ]
    $completions[$command]
}
