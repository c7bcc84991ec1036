/** What {@code chukei reconcile} costs on a large journal: time and peak heap. */
package io.chukei.bench.reconcile;
