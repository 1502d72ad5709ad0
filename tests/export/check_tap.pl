#!/usr/bin/perl
# Reads TAP on stdin with TAP::Parser (the parser behind `prove`) and checks it:
#   perl check_tap.pl TESTS FAILED < report.tap
# The first line must be "TAP version 14". Debian 12's Test::Harness (3.44) knows TAP up to
# version 13 and reports version 14 as a parse error; TAP 14 keeps version 13's syntax for
# everything this engine writes, so that one error is expected and any other fails the check.
use strict;
use warnings;
use TAP::Parser;

my ($want_tests, $want_failed) = @ARGV;
die "usage: check_tap.pl TESTS FAILED < report.tap\n" unless defined $want_failed;
my $tap = do { local $/; <STDIN> };
my $ok = 1;
sub problem { print "check_tap: $_[0]\n"; $ok = 0; }

problem("the first line is not 'TAP version 14'") unless $tap =~ /\ATAP version 14\n/;
my $parser = TAP::Parser->new({ tap => $tap });
my ($tests, $failed, $yaml_blocks) = (0, 0, 0);
while (my $result = $parser->next) {
    if ($result->is_test) {
        $tests++;
        $failed++ unless $result->is_ok;
    } elsif ($result->is_yaml) {
        $yaml_blocks++;
        problem("a YAML block that is not a mapping") unless ref $result->data eq 'HASH';
    } elsif ($result->is_unknown) {
        problem("a line TAP does not know: " . $result->as_string);
    }
}
for my $error ($parser->parse_errors) {
    next if $error =~ /^TAP specified version 14 but we don't know about versions later than 13$/;
    problem("parse error: $error");
}
problem("plan " . ($parser->plan // 'none') . ", expected 1..$want_tests") unless ($parser->plan // '') eq "1..$want_tests";
problem("$tests test points, expected $want_tests") unless $tests == $want_tests;
problem("$failed not ok, expected $want_failed") unless $failed == $want_failed;
problem("$yaml_blocks YAML blocks, expected one per failed test point ($failed)") unless $yaml_blocks == $failed;
print "check_tap: $tests test points, $failed not ok\n";
exit($ok ? 0 : 1);
