/**
 * What the {@code longnet} command's subcommands share: the device they run on, checks of their
 * arguments. It lives in the benchmarks module because the bench commands need it and the cli
 * module, which holds the other commands, depends on this one.
 */
package org.longnet.commandline;
