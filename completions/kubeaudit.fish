# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubeaudit_global_optspecs
    string join \n f/filename= kubeconfig= context= cluster= user= n/namespace= A/all-namespaces as= as-group= request-timeout= chunk-size= allow-incomplete on-conflict= max-input-size= apply-namespace= bootstrap-policy allow-unknown authorization-mode= authorization-policy-file= authorization-webhook-config-file= authorization-webhook-version= authorization-config= no-headers color= h/help V/version
end

function __fish_kubeaudit_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubeaudit_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubeaudit_using_subcommand
    set -l cmd (__fish_kubeaudit_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -s V -l version -d 'Print version'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "can-i" -d 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "review" -d 'Evaluate SubjectAccessReview objects exactly as given and print them with their status'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "default-deny" -d 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "can-reach" -d 'Check whether a pod or address can open a connection to another, and show why'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "netpol-matrix" -d 'Print the pod × pod reachability grid for one port and protocol'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "snapshot" -d 'Fetch everything from the cluster into one file that -f reads back with the same answers'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "contexts" -d 'List kubeconfig contexts and audit their credentials'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "who-can" -d 'List the subjects allowed to do something, and the binding → role → rule behind each'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "access-matrix" -d 'Show a resource × verb grid of what one identity may do (like rakkess, computed locally)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "lint" -d 'Check RBAC, ServiceAccounts, pod security, admission and NetworkPolicy against a rule catalog whose checks ask the evaluator (for CI: SARIF, JUnit, baselines)'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "diff" -d 'Show what access changed between two versions: permissions gained and lost per subject, default-deny changes, new and fixed lint findings'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "escalation" -d 'Show what a subject can become, hop by hop (impersonation, bind, escalate, workloads, tokens, CSRs, nodes …), with the binding → role → rule behind every hop'
complete -c kubeaudit -n "__fish_kubeaudit_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l subresource -d 'A subresource, e.g. log, status, scale' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s q -l quiet -d 'Print nothing; only the exit code tells'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l explain -d 'Show the binding, role and rule behind the answer (same as -o wide)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l verify -d 'Also ask the API server (SelfSubjectAccessReview, or SubjectAccessReview with --as) and report whether it agrees'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l list -d 'List every rule that applies to the identity, as kubectl auth can-i --list does (-o wide adds the binding → role → rule of each row; -A lists every namespace)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-i" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -s o -l output -d 'Output format: yaml (a multi-document stream) or json (one List)' -r -f -a "yaml\t'A multi-document YAML stream'
json\t'One JSON `List`'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand review" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l direction -d 'Which directions must be denied by default' -r -f -a "ingress\t'Incoming traffic only'
egress\t'Outgoing traffic only'
both\t'Both directions'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l exclude-namespace -d 'Leave out namespaces matching this glob (e.g. \'kube-*\'); repeatable' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -s o -l output -d 'Output format: wide adds the policies and the pods that are not isolated' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand default-deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s p -l port -d 'Destination port: a number (1-65535) or the name of a port of the destination pod' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l protocol -d 'Protocol' -r -f -a "TCP\t'Transmission Control Protocol (the default)'
UDP\t'User Datagram Protocol'
SCTP\t'Stream Control Transmission Protocol'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s o -l output -d 'Output format: wide adds every matching rule, the isolating policies and notes' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand can-reach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s p -l port -d 'Destination port (1-65535)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l protocol -d 'Protocol' -r -f -a "TCP\t'Transmission Control Protocol (the default)'
UDP\t'User Datagram Protocol'
SCTP\t'Stream Control Transmission Protocol'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l exclude-namespace -d 'Leave out namespaces matching this glob (e.g. \'kube-*\'); repeatable' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s o -l output -d 'Output format: wide adds the egress-only and ingress-only grids' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand netpol-matrix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -s o -l output -d 'The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand snapshot" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand contexts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l dynamic -d 'Print the dynamic script (the same as COMPLETE=SHELL kubeaudit prints): names of contexts, clusters, users and namespaces are completed too'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l subresource -d 'A subresource, e.g. log, status, scale (for userextras: the extra\'s key)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable'
wide\t'Human-readable, with the reasons'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l expand-groups -d 'Also list the ServiceAccounts that allowed system:serviceaccounts[:NS] groups cover, and say who well-known groups stand for'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand who-can" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l verbs -d 'The verbs to show (comma-separated or repeated)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -s o -l output -d 'Output format' -r -f -a "table\t'A grid of ✔/✖ (coloured on a terminal)'
json\t'JSON'
yaml\t'YAML'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand access-matrix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -s o -l output -d 'Output: FORMAT or FORMAT=FILE (table, wide, json, yaml, sarif, junit); repeatable, e.g. -o sarif=out.sarif -o table' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l fail-on -d 'Exit 1 when an unsuppressed finding has at least this severity' -r -f -a "low\t'Hygiene; rarely exploitable alone'
medium\t'Worth fixing; a step of an attack'
high\t'A direct path to other workloads\' data or credentials'
critical\t'Cluster takeover'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l enable -d 'Run only these rules (ids or slugs; comma-separated or repeated)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l disable -d 'Do not run these rules (ids or slugs; comma-separated or repeated)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l baseline -d 'Suppress the findings recorded in this baseline file' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l write-baseline -d 'Write the unsuppressed findings to this baseline file (atomically)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l config -d 'The configuration file (default: .access-audit.yaml in the current directory, if any)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l exit-zero -d 'Exit 0 even with findings (errors still exit 2)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l list-rules -d 'Print the rule catalog and exit'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable'
json\t'JSON'
yaml\t'YAML'
markdown\t'A Markdown summary for a pull request comment or job summary'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l fail-on-gain -d 'Exit 1 when anything was gained'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l sa -d 'The ServiceAccount to start from, as NAMESPACE/NAME' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l to -d 'What must be reached' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -s o -l output -d 'Output format' -r -f -a "table\t'One line per hop (with -A: one line per subject)'
wide\t'The table with each hop\'s permissions and objects'
json\t'JSON'
yaml\t'YAML'
dot\t'A Graphviz graph of the paths'
mermaid\t'A Mermaid flowchart of the paths, for a pull request comment'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -s f -l filename -d 'Read objects from manifest files or directories instead of a cluster (\'-\' for stdin); repeatable' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l kubeconfig -d 'Path to the kubeconfig file (used alone; it must exist)' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l context -d 'The kubeconfig context to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l cluster -d 'The kubeconfig cluster to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l user -d 'The kubeconfig user to use' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -s n -l namespace -d 'Namespace scope (default: the context\'s namespace, else "default")' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l as -d 'User to evaluate for: a user name or system:serviceaccount:NS:NAME' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l as-group -d 'Group to evaluate for; repeatable' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l request-timeout -d 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)' -r -f
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l chunk-size -d 'Objects per page when listing from a cluster (kubectl\'s --chunk-size; default 500)' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l on-conflict -d 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)' -r -f -a "error\t'Stop with an error naming both (the default: a conflict usually means a mistake)'
first\t'The first in input order'
last\t'The last in input order, as `kubectl apply` of the inputs in order would leave it'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l max-input-size -d 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l apply-namespace -d 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l authorization-mode -d 'The authorizers kube-apiserver runs, in order (its --authorization-mode: AlwaysAllow, AlwaysDeny, ABAC, RBAC, Node, Webhook); system:masters is always allowed first. Default: RBAC with -f; live, read from the kube-apiserver Pod when visible' -r
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l authorization-policy-file -d 'The ABAC policy file (one JSON object per line), as kube-apiserver\'s flag' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l authorization-webhook-config-file -d 'The webhook authorizer\'s kubeconfig file, as kube-apiserver\'s flag: kubeaudit POSTs the SubjectAccessReview to it when the chain reaches the webhook' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l authorization-webhook-version -d 'The SubjectAccessReview version sent to the webhook (kube-apiserver\'s default: v1beta1)' -r -f -a "v1\t''
v1beta1\t''"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l authorization-config -d 'A structured authorization configuration (apiserver.config.k8s.io AuthorizationConfiguration: ordered authorizers, webhook failurePolicy), instead of --authorization-mode and the webhook flags' -r -F
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l color -d 'When to colour output' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces colour'
always\t'Always'
never\t'Never'"
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -s A -l all-namespaces -d 'All namespaces (overrides --namespace, as in kubectl)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l allow-incomplete -d 'Answer from partial data with a warning instead of exiting 2 when data is missing'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l bootstrap-policy -d 'Add Kubernetes 1.35\'s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l allow-unknown -d 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -l no-headers -d 'Omit table headers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand escalation" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "can-i" -d 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "review" -d 'Evaluate SubjectAccessReview objects exactly as given and print them with their status'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "default-deny" -d 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "can-reach" -d 'Check whether a pod or address can open a connection to another, and show why'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "netpol-matrix" -d 'Print the pod × pod reachability grid for one port and protocol'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "snapshot" -d 'Fetch everything from the cluster into one file that -f reads back with the same answers'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "contexts" -d 'List kubeconfig contexts and audit their credentials'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "who-can" -d 'List the subjects allowed to do something, and the binding → role → rule behind each'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "access-matrix" -d 'Show a resource × verb grid of what one identity may do (like rakkess, computed locally)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "lint" -d 'Check RBAC, ServiceAccounts, pod security, admission and NetworkPolicy against a rule catalog whose checks ask the evaluator (for CI: SARIF, JUnit, baselines)'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "diff" -d 'Show what access changed between two versions: permissions gained and lost per subject, default-deny changes, new and fixed lint findings'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "escalation" -d 'Show what a subject can become, hop by hop (impersonation, bind, escalate, workloads, tokens, CSRs, nodes …), with the binding → role → rule behind every hop'
complete -c kubeaudit -n "__fish_kubeaudit_using_subcommand help; and not __fish_seen_subcommand_from can-i review default-deny can-reach netpol-matrix snapshot contexts completions who-can access-matrix lint diff escalation help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
