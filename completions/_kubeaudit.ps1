
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubeaudit' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubeaudit'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubeaudit' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('can-i', 'can-i', [CompletionResultType]::ParameterValue, 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Evaluate SubjectAccessReview objects exactly as given and print them with their status')
            [CompletionResult]::new('default-deny', 'default-deny', [CompletionResultType]::ParameterValue, 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction')
            [CompletionResult]::new('can-reach', 'can-reach', [CompletionResultType]::ParameterValue, 'Check whether a pod or address can open a connection to another, and show why')
            [CompletionResult]::new('netpol-matrix', 'netpol-matrix', [CompletionResultType]::ParameterValue, 'Print the pod × pod reachability grid for one port and protocol')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Fetch everything from the cluster into one file that -f reads back with the same answers')
            [CompletionResult]::new('contexts', 'contexts', [CompletionResultType]::ParameterValue, 'List kubeconfig contexts and audit their credentials')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('who-can', 'who-can', [CompletionResultType]::ParameterValue, 'List the subjects allowed to do something, and the binding → role → rule behind each')
            [CompletionResult]::new('access-matrix', 'access-matrix', [CompletionResultType]::ParameterValue, 'Show a resource × verb grid of what one identity may do (like rakkess, computed locally)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check RBAC, ServiceAccounts, pod security, admission and NetworkPolicy against a rule catalog whose checks ask the evaluator (for CI: SARIF, JUnit, baselines)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what access changed between two versions: permissions gained and lost per subject, default-deny changes, new and fixed lint findings')
            [CompletionResult]::new('escalation', 'escalation', [CompletionResultType]::ParameterValue, 'Show what a subject can become, hop by hop (impersonation, bind, escalate, workloads, tokens, CSRs, nodes …), with the binding → role → rule behind every hop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeaudit;can-i' {
            [CompletionResult]::new('--subresource', '--subresource', [CompletionResultType]::ParameterName, 'A subresource, e.g. log, status, scale')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing; only the exit code tells')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing; only the exit code tells')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Show the binding, role and rule behind the answer (same as -o wide)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Also ask the API server (SelfSubjectAccessReview, or SubjectAccessReview with --as) and report whether it agrees')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List every rule that applies to the identity, as kubectl auth can-i --list does (-o wide adds the binding → role → rule of each row; -A lists every namespace)')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;review' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: yaml (a multi-document stream) or json (one List)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: yaml (a multi-document stream) or json (one List)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;default-deny' {
            [CompletionResult]::new('--direction', '--direction', [CompletionResultType]::ParameterName, 'Which directions must be denied by default')
            [CompletionResult]::new('--exclude-namespace', '--exclude-namespace', [CompletionResultType]::ParameterName, 'Leave out namespaces matching this glob (e.g. ''kube-*''); repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide adds the policies and the pods that are not isolated')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide adds the policies and the pods that are not isolated')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;can-reach' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Destination port: a number (1-65535) or the name of a port of the destination pod')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Destination port: a number (1-65535) or the name of a port of the destination pod')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide adds every matching rule, the isolating policies and notes')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide adds every matching rule, the isolating policies and notes')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;netpol-matrix' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Destination port (1-65535)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Destination port (1-65535)')
            [CompletionResult]::new('--protocol', '--protocol', [CompletionResultType]::ParameterName, 'Protocol')
            [CompletionResult]::new('--exclude-namespace', '--exclude-namespace', [CompletionResultType]::ParameterName, 'Leave out namespaces matching this glob (e.g. ''kube-*''); repeatable')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: wide adds the egress-only and ingress-only grids')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: wide adds the egress-only and ingress-only grids')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;snapshot' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'The file to write (YAML when it ends in .yaml or .yml, else JSON); written atomically')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;contexts' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;completions' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--dynamic', '--dynamic', [CompletionResultType]::ParameterName, 'Print the dynamic script (the same as COMPLETE=SHELL kubeaudit prints): names of contexts, clusters, users and namespaces are completed too')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;who-can' {
            [CompletionResult]::new('--subresource', '--subresource', [CompletionResultType]::ParameterName, 'A subresource, e.g. log, status, scale (for userextras: the extra''s key)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--expand-groups', '--expand-groups', [CompletionResultType]::ParameterName, 'Also list the ServiceAccounts that allowed system:serviceaccounts[:NS] groups cover, and say who well-known groups stand for')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;access-matrix' {
            [CompletionResult]::new('--verbs', '--verbs', [CompletionResultType]::ParameterName, 'The verbs to show (comma-separated or repeated)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;lint' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output: FORMAT or FORMAT=FILE (table, wide, json, yaml, sarif, junit); repeatable, e.g. -o sarif=out.sarif -o table')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output: FORMAT or FORMAT=FILE (table, wide, json, yaml, sarif, junit); repeatable, e.g. -o sarif=out.sarif -o table')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when an unsuppressed finding has at least this severity')
            [CompletionResult]::new('--enable', '--enable', [CompletionResultType]::ParameterName, 'Run only these rules (ids or slugs; comma-separated or repeated)')
            [CompletionResult]::new('--disable', '--disable', [CompletionResultType]::ParameterName, 'Do not run these rules (ids or slugs; comma-separated or repeated)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Suppress the findings recorded in this baseline file')
            [CompletionResult]::new('--write-baseline', '--write-baseline', [CompletionResultType]::ParameterName, 'Write the unsuppressed findings to this baseline file (atomically)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The configuration file (default: .access-audit.yaml in the current directory, if any)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 even with findings (errors still exit 2)')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'Print the rule catalog and exit')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;diff' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--fail-on-gain', '--fail-on-gain', [CompletionResultType]::ParameterName, 'Exit 1 when anything was gained')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;escalation' {
            [CompletionResult]::new('--sa', '--sa', [CompletionResultType]::ParameterName, 'The ServiceAccount to start from, as NAMESPACE/NAME')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'What must be reached')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Read objects from manifest files or directories instead of a cluster (''-'' for stdin); repeatable')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (used alone; it must exist)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace scope (default: the context''s namespace, else "default")')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'User to evaluate for: a user name or system:serviceaccount:NS:NAME')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to evaluate for; repeatable')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, kubectl style (e.g. 30s, 1m; 0 = none)')
            [CompletionResult]::new('--chunk-size', '--chunk-size', [CompletionResultType]::ParameterName, 'Objects per page when listing from a cluster (kubectl''s --chunk-size; default 500)')
            [CompletionResult]::new('--on-conflict', '--on-conflict', [CompletionResultType]::ParameterName, 'Two different definitions of one object in the -f inputs: stop (error), or read the first or the last in input order (files of a directory in name order)')
            [CompletionResult]::new('--max-input-size', '--max-input-size', [CompletionResultType]::ParameterName, 'The most bytes read from one -f input (file, pipe or stdin), e.g. 512M, 8G')
            [CompletionResult]::new('--apply-namespace', '--apply-namespace', [CompletionResultType]::ParameterName, 'Place namespaced objects of -f files that have no metadata.namespace in NS (as `kubectl apply -n NS -f` would), independently of the -n of the question')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'All namespaces (overrides --namespace, as in kubectl)')
            [CompletionResult]::new('--allow-incomplete', '--allow-incomplete', [CompletionResultType]::ParameterName, 'Answer from partial data with a warning instead of exiting 2 when data is missing')
            [CompletionResult]::new('--bootstrap-policy', '--bootstrap-policy', [CompletionResultType]::ParameterName, 'Add Kubernetes 1.35''s default roles and bindings (what every API server creates at start: cluster-admin, view, system:auth-delegator, …) to the -f inputs; objects of the inputs with the same kind and name replace them, as applying them would')
            [CompletionResult]::new('--allow-unknown', '--allow-unknown', [CompletionResultType]::ParameterName, 'Ask about a verb or bare resource type kubeaudit does not know, as written (otherwise an error, since it is most likely a typo)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit table headers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubeaudit;help' {
            [CompletionResult]::new('can-i', 'can-i', [CompletionResultType]::ParameterValue, 'Check whether an action is allowed, and show why (kubectl auth can-i, evaluated locally)')
            [CompletionResult]::new('review', 'review', [CompletionResultType]::ParameterValue, 'Evaluate SubjectAccessReview objects exactly as given and print them with their status')
            [CompletionResult]::new('default-deny', 'default-deny', [CompletionResultType]::ParameterValue, 'Check that namespaces deny all traffic by default (NetworkPolicy), per direction')
            [CompletionResult]::new('can-reach', 'can-reach', [CompletionResultType]::ParameterValue, 'Check whether a pod or address can open a connection to another, and show why')
            [CompletionResult]::new('netpol-matrix', 'netpol-matrix', [CompletionResultType]::ParameterValue, 'Print the pod × pod reachability grid for one port and protocol')
            [CompletionResult]::new('snapshot', 'snapshot', [CompletionResultType]::ParameterValue, 'Fetch everything from the cluster into one file that -f reads back with the same answers')
            [CompletionResult]::new('contexts', 'contexts', [CompletionResultType]::ParameterValue, 'List kubeconfig contexts and audit their credentials')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('who-can', 'who-can', [CompletionResultType]::ParameterValue, 'List the subjects allowed to do something, and the binding → role → rule behind each')
            [CompletionResult]::new('access-matrix', 'access-matrix', [CompletionResultType]::ParameterValue, 'Show a resource × verb grid of what one identity may do (like rakkess, computed locally)')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check RBAC, ServiceAccounts, pod security, admission and NetworkPolicy against a rule catalog whose checks ask the evaluator (for CI: SARIF, JUnit, baselines)')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what access changed between two versions: permissions gained and lost per subject, default-deny changes, new and fixed lint findings')
            [CompletionResult]::new('escalation', 'escalation', [CompletionResultType]::ParameterValue, 'Show what a subject can become, hop by hop (impersonation, bind, escalate, workloads, tokens, CSRs, nodes …), with the binding → role → rule behind every hop')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubeaudit;help;can-i' {
            break
        }
        'kubeaudit;help;review' {
            break
        }
        'kubeaudit;help;default-deny' {
            break
        }
        'kubeaudit;help;can-reach' {
            break
        }
        'kubeaudit;help;netpol-matrix' {
            break
        }
        'kubeaudit;help;snapshot' {
            break
        }
        'kubeaudit;help;contexts' {
            break
        }
        'kubeaudit;help;completions' {
            break
        }
        'kubeaudit;help;who-can' {
            break
        }
        'kubeaudit;help;access-matrix' {
            break
        }
        'kubeaudit;help;lint' {
            break
        }
        'kubeaudit;help;diff' {
            break
        }
        'kubeaudit;help;escalation' {
            break
        }
        'kubeaudit;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
