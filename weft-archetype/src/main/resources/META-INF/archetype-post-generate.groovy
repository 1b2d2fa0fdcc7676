// mvn archetype:generate does not keep file modes: make every file that starts with "#!" executable
// (the rule weft new applies too, so both produce the same project; ADR 0600)
def root = new File(request.outputDirectory, request.artifactId)
root.eachFileRecurse(groovy.io.FileType.FILES) { f ->
    boolean shebang = false
    f.withInputStream { s -> shebang = s.read() == 35 && s.read() == 33 }
    if (shebang) {
        f.setExecutable(true, false)
    }
}
