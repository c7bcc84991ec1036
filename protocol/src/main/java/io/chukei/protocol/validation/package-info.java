/** Field validation rules for connector requests, reporting stable SBE error codes with field, position and code point. */
package io.chukei.protocol.validation;
