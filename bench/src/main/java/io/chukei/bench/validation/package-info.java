/** JMH microbenchmarks of Submit validation against the structural check alone as baseline. */
package io.chukei.bench.validation;
