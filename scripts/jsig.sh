# Sourced by the launchers (not a command): preload_jsig JAVA puts the signal-chaining library of JAVA's runtime
# (lib/libjsig.so) first in LD_PRELOAD, for the JVM that JAVA starts and every process it starts in turn.
# Why: PoCL has LLVM install its own SIGSEGV handler, with SA_RESETHAND, over the JVM's when it starts and again at every
# program build. The JVM raises SIGSEGV on purpose (safepoint polls in compiled code); the first such fault resets the
# signal to its default while LLVM's handler puts the JVM's back, and a second thread faulting in that moment kills the
# JVM at random, exit 139 and no hs_err file. libjsig keeps the JVM's handler installed and chains the others behind it.
# The pom preloads it into the test JVMs; OpenClSignalsTest checks both.
preload_jsig() {
  local jsig
  jsig="$(dirname "$(dirname "$(readlink -f "$1")")")/lib/libjsig.so"
  [ -f "$jsig" ] || return 0
  case " ${LD_PRELOAD:-} " in *"$jsig"*) return 0 ;; esac
  export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
}
