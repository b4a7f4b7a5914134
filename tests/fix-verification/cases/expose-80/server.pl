# Binds the port it is configured with, records its pid like a daemon, and exits (one-shot for the
# test).
use strict;
use warnings;
use IO::Socket::INET;
my $port = $ENV{PORT} or die "PORT is not set\n";
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 5, ReuseAddr => 1)
    or die "cannot listen on port $port: $!\n";
open(my $pid, '>', '/srv/run/server.pid') or die "cannot write pid file: $!\n";
print $pid "$$\n";
close($pid);
print "listening on port $port as uid $<\n";
