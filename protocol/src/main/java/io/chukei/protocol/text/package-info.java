/** Text that came from outside (peers, operators, certificates) made safe to write into logs, audit entries and answers. */
package io.chukei.protocol.text;
