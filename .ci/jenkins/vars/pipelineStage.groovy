// A Jenkins shared-library step: one stage of the pipeline, so another repository's Jenkinsfile is a few lines.
//
//   library identifier: 'pipeline-stages@main', retriever: modernSCM(libraryPath: '.ci/jenkins/',
//       scm: [$class: 'GitSCMSource', remote: 'https://github.com/pipeline/pipeline.git'])
//   ...
//   stage('Train') { steps { pipelineStage target: 'Train', config: 'config/playlist.json' } }
//
// It runs ./build.sh --target=<target> --exclusive (Jenkins shows and times each stage on its own, and no stage
// re-runs the ones before it) with the flags given; every value is quoted for the shell. Credentials stay with the
// caller's withCredentials block around the step.
def call(Map args = [:]) {
    if (!args.target) {
        error 'pipelineStage: target is required, e.g. pipelineStage target: \'Train\''
    }
    def known = ['target', 'config', 'overlay', 'dataset', 'registry', 'smoke']
    def unknown = args.keySet().findAll { !known.contains(it) }
    if (unknown) {
        error "pipelineStage: unknown argument(s) ${unknown.join(', ')}; known: ${known.join(', ')}"
    }
    def flags = ["--target=${args.target}", '--exclusive']
    ['config', 'overlay', 'dataset', 'registry'].each { name ->
        if (args[name]) {
            flags << "--${name}=${args[name]}"
        }
    }
    if (args.smoke) {
        flags << '--smoke'
    }
    sh(script: './build.sh ' + flags.collect { quote(it as String) }.join(' '), label: "pipeline ${args.target}")
}

private static String quote(String value) {
    "'" + value.replace("'", "'\"'\"'") + "'"
}
