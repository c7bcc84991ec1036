#!/usr/bin/env python3
"""A small Chukei connector in Python 3, standard library only (ssl, socket, struct).

Written from protocol/README.md and the SBE schema alone, as a second implementation of the
protocol: Hello/Welcome, pipelined Submits, Accepted/Result/Rejected, heartbeats, StatusQuery,
and resubmission with the same request id and the possible-duplicate flag.

    python3 chukei_connector.py demo --host 127.0.0.1 --port 7400 \
        --cert connector.pem --key connector-key.pem --ca ca.pem --municipality 131016
    python3 chukei_connector.py vectors ../../spec/vectors/vectors.txt
    python3 chukei_connector.py workload --host 127.0.0.1 --port 7401 ... [--count 8]

`demo` runs a fixed scenario against a relay node and prints one line per event; `vectors`
checks this codec against the published test vectors; `workload` sends requests one at a time,
for the conformance relay (`chukei conformance`, README §10). Exit status 0 when everything went as
the spec says, 1 otherwise.
"""

import argparse
import os
import secrets
import select
import socket
import ssl
import struct
import sys
import time
import uuid
import xml.etree.ElementTree as ElementTree

SOFH_LENGTH = 6
SBE_ENCODING = 0xEB50
HEADER = struct.Struct('<HHHH')          # blockLength, templateId, schemaId, version
SCHEMA_ID = 2016
SCHEMA_VERSION = 3                       # the version this connector writes (README §7): it knows OUTCOME_UNKNOWN;
                                         # version 3's batch messages it does not use (its own messages are unchanged)
VAR_LENGTH = struct.Struct('<H')
GROUP_SIZE = struct.Struct('<HH')        # blockLength, numInGroup

# Template ids (README §4).
HELLO, WELCOME, SUBMIT, ACCEPTED, RESULT, REJECTED, REDIRECT, GO_AWAY = 1, 2, 3, 4, 5, 6, 7, 8
STATUS_QUERY, STATUS_REPLY, HEARTBEAT, CLUSTER_VIEW = 9, 10, 11, 12

# Fixed blocks, exactly as README §4 lays them out (offsets in the comments).
HELLO_BLOCK = struct.Struct('<6sI')                      # @0 municipalityCode, @6 heartbeatIntervalMs
SUBMIT_BLOCK = struct.Struct('<QQ6sBBBHqQII12s11s8s')    # @0 requestId ... @74 dateOfBirth: 82 bytes
STATUS_QUERY_BLOCK = struct.Struct('<QQ6s')              # 22 bytes
HEARTBEAT_BLOCK = struct.Struct('<qB')                   # 9 bytes
WELCOME_BLOCK = struct.Struct('<HQIIIB')                 # 23 bytes
NODE_ENTRY = struct.Struct('<HB')                        # nodeId, state; then var address
ACCEPTED_BLOCK = struct.Struct('<QQHqBB')                # 28 bytes
RESULT_BLOCK = struct.Struct('<QQHBHq')                  # 29 bytes
REJECTED_BLOCK = struct.Struct('<QQHHBIII')              # 33 bytes
REDIRECT_BLOCK = struct.Struct('<QQHB')                  # 19 bytes
GO_AWAY_BLOCK = struct.Struct('<HHI')                    # 8 bytes
STATUS_REPLY_BLOCK = struct.Struct('<QQHBq')             # 27 bytes
CLUSTER_VIEW_BLOCK = struct.Struct('<H')                 # 2 bytes

NULL_U64 = 0xFFFFFFFFFFFFFFFF
NULL_U32 = 0xFFFFFFFF
OPERATIONS = {'PREISSUE_SETUP': 1, 'CARD_ISSUE': 2, 'CERT_CHANGE': 3, 'CARD_SUSPEND': 4, 'CARD_STATUS': 5}
INTERACTIVE, BATCH = 1, 2
FALSE, TRUE = 0, 1
ACTIVE = 1
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           '..', '..', 'src', 'main', 'resources', 'sbe', 'chukei-schema.xml')


def enum_names(schema_path):
    """Enum value names from the schema itself: {'ErrorCode': {500: 'RATE_LIMITED', ...}, ...}."""
    root = ElementTree.parse(schema_path).getroot()
    names = {}
    for enum in root.iter('enum'):
        names[enum.get('name')] = {int(v.text): v.get('name') for v in enum.iter('validValue')}
    return names


def request_id_bytes(request_id):
    """README §4: hi = the UUID's first 8 bytes as a big-endian number, lo = its last 8; each little-endian."""
    return request_id.int >> 64, request_id.int & 0xFFFFFFFFFFFFFFFF


def request_id_from(hi, lo):
    return uuid.UUID(int=(hi << 64) | lo)


def new_request_id():
    """UUIDv7: 48-bit Unix ms, version 7, variant 10, 74 random bits from a CSPRNG (README §4: not guessable)."""
    value = (int(time.time() * 1000) & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= secrets.randbits(12) << 64
    value |= 0b10 << 62
    value |= secrets.randbits(62)
    return uuid.UUID(int=value)


def parse_address(address):
    """'host:port' as the cluster view writes it → (host, port)."""
    host, _, port = address.rpartition(':')
    return host, int(port)


def var(data):
    if len(data) > 65534:
        raise ValueError('var field longer than 65534 bytes')
    return VAR_LENGTH.pack(len(data)) + data


def frame(template_id, block_length, body):
    """SOFH (uint32 BIG-endian length of the whole frame, 0xEB50 big-endian), SBE header (little-endian), body."""
    message = HEADER.pack(block_length, template_id, SCHEMA_ID, SCHEMA_VERSION) + body
    return struct.pack('>IH', SOFH_LENGTH + len(message), SBE_ENCODING) + message


def encode_hello(municipality, heartbeat_ms, connector_name):
    return frame(HELLO, HELLO_BLOCK.size,
                 HELLO_BLOCK.pack(municipality.encode('ascii'), heartbeat_ms) + var(connector_name.encode('ascii')))


def encode_submit(request):
    """request: a dict of the Submit's fields; absent ones are null / all NUL / length 0 (README §4)."""
    hi, lo = request_id_bytes(request['requestId'])
    block = SUBMIT_BLOCK.pack(
        hi, lo, request['municipalityCode'].encode('ascii'), OPERATIONS[request['operation']],
        request.get('priority', INTERACTIVE), TRUE if request.get('possibleDuplicate') else FALSE,
        request.get('attempt', 1), request['deadlineEpochMs'],
        request.get('batchId', NULL_U64), request.get('batchSequence', NULL_U32), request.get('batchSize', NULL_U32),
        request.get('personalNumber', '').encode('ascii'), request.get('residentCode', '').encode('ascii'),
        request.get('dateOfBirth', '').encode('ascii'))
    data = b''.join(var(request.get(name, '').encode('utf-8')) for name in ('nameKanji', 'nameKana', 'address'))
    data += b''.join(var(request.get(name, '').encode('ascii')) for name in ('cardId', 'applicationId'))
    data += var(request.get('pinBlock', b''))
    return frame(SUBMIT, SUBMIT_BLOCK.size, block + data)


def encode_status_query(request_id, municipality):
    hi, lo = request_id_bytes(request_id)
    return frame(STATUS_QUERY, STATUS_QUERY_BLOCK.size, STATUS_QUERY_BLOCK.pack(hi, lo, municipality.encode('ascii')))


def encode_heartbeat(now_ms):
    return frame(HEARTBEAT, HEARTBEAT_BLOCK.size, HEARTBEAT_BLOCK.pack(now_ms, ACTIVE))


class Reader:
    """Reads var fields and groups in schema order after a fixed block whose length the header gave."""

    def __init__(self, message, position):
        self.message = message
        self.position = position

    def var(self):
        (length,) = VAR_LENGTH.unpack_from(self.message, self.position)
        start = self.position + VAR_LENGTH.size
        if start + length > len(self.message):
            raise ValueError('var field runs past the end of the message')
        self.position = start + length
        return self.message[start:self.position]

    def nodes(self):
        block_length, count = GROUP_SIZE.unpack_from(self.message, self.position)
        self.position += GROUP_SIZE.size
        nodes = []
        for _ in range(count):
            node_id, state = NODE_ENTRY.unpack_from(self.message, self.position)
            self.position += block_length          # the group's own block length, not ours (README §7)
            nodes.append((node_id, state, self.var().decode('ascii')))
        return nodes


def decode(message):
    """An SBE message (header and body, no SOFH) → (templateId, dict of fields)."""
    block_length, template_id, schema_id, _version = HEADER.unpack_from(message, 0)
    if schema_id != SCHEMA_ID:
        raise ValueError('schemaId %d (expected %d)' % (schema_id, SCHEMA_ID))
    body = HEADER.size
    rest = Reader(message, body + block_length)   # the header's block length: a newer relay's may be longer
    if template_id == WELCOME:
        node_id, session_id, heartbeat, max_frame, max_in_flight, durability = WELCOME_BLOCK.unpack_from(message, body)
        return template_id, dict(nodeId=node_id, sessionId=session_id, heartbeatIntervalMs=heartbeat,
                                 maxFrameLength=max_frame, maxInFlight=max_in_flight, durability=durability,
                                 nodes=rest.nodes())
    if template_id == ACCEPTED:
        hi, lo, node_id, position, durability, known = ACCEPTED_BLOCK.unpack_from(message, body)
        return template_id, dict(requestId=request_id_from(hi, lo), nodeId=node_id, journalPosition=position,
                                 durability=durability, alreadyKnown=known == TRUE)
    if template_id == RESULT:
        hi, lo, node_id, status, upstream, completed = RESULT_BLOCK.unpack_from(message, body)
        return template_id, dict(requestId=request_id_from(hi, lo), nodeId=node_id, status=status,
                                 upstreamCode=upstream, completedEpochMs=completed,
                                 detail=rest.var().decode('utf-8'), payload=rest.var())
    if template_id == REJECTED:
        hi, lo, node_id, code, field, position, code_point, retry = REJECTED_BLOCK.unpack_from(message, body)
        return template_id, dict(requestId=request_id_from(hi, lo), nodeId=node_id, code=code, field=field,
                                 position=None if position == NULL_U32 else position,
                                 codePoint=None if code_point == NULL_U32 else code_point,
                                 retryAfterMs=None if retry == NULL_U32 else retry, detail=rest.var().decode('utf-8'))
    if template_id == REDIRECT:
        hi, lo, node_id, state = REDIRECT_BLOCK.unpack_from(message, body)
        return template_id, dict(requestId=request_id_from(hi, lo), nodeId=node_id, state=state, nodes=rest.nodes())
    if template_id == GO_AWAY:
        node_id, code, retry = GO_AWAY_BLOCK.unpack_from(message, body)
        nodes = rest.nodes()
        return template_id, dict(nodeId=node_id, code=code, retryAfterMs=None if retry == NULL_U32 else retry,
                                 nodes=nodes, detail=rest.var().decode('utf-8'))
    if template_id == STATUS_REPLY:
        hi, lo, node_id, state, position = STATUS_REPLY_BLOCK.unpack_from(message, body)
        return template_id, dict(requestId=request_id_from(hi, lo), nodeId=node_id, state=state,
                                 journalPosition=position)
    if template_id == HEARTBEAT:
        timestamp, state = HEARTBEAT_BLOCK.unpack_from(message, body)
        return template_id, dict(timestampEpochMs=timestamp, nodeState=state)
    if template_id == CLUSTER_VIEW:
        (node_id,) = CLUSTER_VIEW_BLOCK.unpack_from(message, body)
        return template_id, dict(nodeId=node_id, nodes=rest.nodes())
    return template_id, {}


class SessionEnded(Exception):
    pass


class Session:
    """One TLS connection to one relay node, from Hello to close. Single-threaded: `pump` reads,
    dispatches, and sends a Heartbeat whenever nothing was sent for the interval in force."""

    def __init__(self, args, names, out, address=None):
        self.args, self.names, self.out = args, names, out
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3          # README §1: TLS 1.3 only
        context.load_verify_locations(args.ca)
        context.load_cert_chain(args.cert, args.key)
        host, port = address or (args.host, args.port)
        raw = socket.create_connection((host, port), timeout=5)
        self.sock = context.wrap_socket(raw, server_hostname=host)
        self.require_relay_certificate()
        self.sock.setblocking(False)
        self.buffer = b''
        self.max_frame = 65536
        self.heartbeat_s = 1.0
        self.last_sent = self.last_received = time.monotonic()
        self.heartbeats_sent = self.heartbeats_received = 0
        self.closed = False

    def require_relay_certificate(self):
        """README §1: a connector should refuse a server whose certificate does not say urn:chukei:node:."""
        names = self.sock.getpeercert().get('subjectAltName', ())
        if not any(kind == 'URI' and value.lower().startswith('urn:chukei:node:') for kind, value in names):
            self.sock.close()
            raise SessionEnded('the server certificate names no urn:chukei:node: URI; not a relay')

    def send(self, data):
        view = memoryview(data)
        while view:
            try:
                sent = self.sock.send(view)
                view = view[sent:]
            except (ssl.SSLWantWriteError, ssl.SSLWantReadError, BlockingIOError):
                select.select([], [self.sock], [], 1.0)
        self.last_sent = time.monotonic()

    def hello(self):
        self.send(encode_hello(self.args.municipality, 400, 'chukei-example-python/1.0'))
        template_id, welcome = self.next_message(timeout=5)
        if template_id != WELCOME:
            raise SessionEnded('expected Welcome, got template %d %s' % (template_id, welcome))
        # README §3: the interval in force is Welcome's, whatever Hello proposed.
        self.heartbeat_s = welcome['heartbeatIntervalMs'] / 1000.0
        self.max_frame = welcome['maxFrameLength']
        self.out('WELCOME node=%d heartbeatMs=%d maxFrameLength=%d maxInFlight=%d durability=%s nodes=%d' % (
            welcome['nodeId'], welcome['heartbeatIntervalMs'], welcome['maxFrameLength'], welcome['maxInFlight'],
            self.name('Durability', welcome['durability']), len(welcome['nodes'])))
        return welcome

    def name(self, enum, value):
        return self.names.get(enum, {}).get(value, str(value))

    def next_frame(self):
        """A whole frame's SBE part from the buffer, or None; never trusts a length above maxFrameLength."""
        if len(self.buffer) < SOFH_LENGTH:
            return None
        length, encoding = struct.unpack_from('>IH', self.buffer, 0)
        if encoding != SBE_ENCODING or length < SOFH_LENGTH + HEADER.size or length > self.max_frame:
            raise SessionEnded('framing lost: length %d, encoding 0x%04x' % (length, encoding))
        if len(self.buffer) < length:
            return None
        message, self.buffer = self.buffer[SOFH_LENGTH:length], self.buffer[length:]
        return message

    def next_message(self, timeout):
        """The next message other than a Heartbeat, sending Heartbeats meanwhile; (None, None) on timeout."""
        until = time.monotonic() + timeout
        while True:
            if self.closed:
                raise SessionEnded('connection lost')
            message = self.next_frame()
            if message is not None:
                template_id, fields = decode(message)
                if template_id == HEARTBEAT:
                    self.heartbeats_received += 1
                    continue
                if template_id == GO_AWAY:
                    ended = SessionEnded('GoAway %s: %s' % (self.name('ErrorCode', fields['code']), fields['detail']))
                    for node_id, state, address in fields['nodes']:
                        if node_id != fields['nodeId'] and state == ACTIVE:
                            ended.address = parse_address(address)
                            break
                    raise ended
                return template_id, fields
            now = time.monotonic()
            if now - self.last_received > 3 * self.heartbeat_s:
                raise SessionEnded('nothing received for 3 heartbeat intervals: the node is taken for dead')
            if now - self.last_sent >= self.heartbeat_s:
                self.send(encode_heartbeat(int(time.time() * 1000)))
                self.heartbeats_sent += 1
            if now >= until:
                return None, None
            wait = max(0.0, min(until, self.last_sent + self.heartbeat_s) - now)
            if not self.sock.pending():
                select.select([self.sock], [], [], wait)
            try:
                data = self.sock.recv(65536)
            except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
                continue
            if not data:
                raise SessionEnded('connection closed by the relay')
            self.buffer += data
            self.last_received = time.monotonic()

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass


class Connector:
    """Keeps every request until its final answer (README §5) and resends it with the same id."""

    def __init__(self, args):
        self.args = args
        self.names = enum_names(args.schema)
        self.session = None
        self.failures = []
        self.address = (args.host, args.port)
        self.view = []          # the latest cluster view: (nodeId, state, 'host:port'), from Welcome or ClusterView
        self.later = {}         # requestId -> when to resend it (after RATE_LIMITED/OVERLOADED's retryAfterMs)

    def out(self, line):
        print(line, flush=True)

    def connect(self, address=None):
        """A new session: to `address` (a Redirect's or GoAway's choice), else to another ACTIVE node of the latest view
        (README §3: after a failure, reconnect to another node when there is a list), else to the same node again."""
        if address is None:
            others = [parse_address(a) for _, state, a in self.view if state == ACTIVE and parse_address(a) != self.address]
            address = others[0] if others else self.address
        self.address = address
        self.session = Session(self.args, self.names, self.out, address)
        self.view = self.session.hello()['nodes']

    def request(self, operation, **fields):
        fields.update(operation=operation, requestId=new_request_id(), municipalityCode=self.args.municipality,
                      attempt=1, possibleDuplicate=False, deadlineEpochMs=int(time.time() * 1000) + 30000)
        return fields

    ATTEMPT_TIMEOUT_S = 1.0      # send → first word (Accepted/Rejected/Result); past it the node is left
    MAX_SESSIONS = 5

    def run(self, requests, already_sent=()):
        """Pipelines `requests` (all written before any answer is read; `already_sent` were written before),
        then collects exactly one final answer each. Resends as README §5 says: after RATE_LIMITED/OVERLOADED
        the same request after retryAfterMs (not a possible duplicate); after a lost connection, a GoAway, a
        Redirect, missed heartbeats or the attempt timeout, a new session and every unresolved request again
        with the same id, possibleDuplicate TRUE, attempt + 1. Returns {requestId: (template, fields)}."""
        pending = {r['requestId']: r for r in list(already_sent) + list(requests)}
        now = time.monotonic()
        unacknowledged = {r['requestId']: now for r in already_sent}
        for r in requests:
            self.session.send(encode_submit(r))
            unacknowledged[r['requestId']] = time.monotonic()
        finals, sessions = {}, 1
        while pending:
            try:
                self.collect(pending, unacknowledged, finals)
            except (SessionEnded, OSError) as ended:
                sessions += 1
                if sessions > self.MAX_SESSIONS:
                    raise SessionEnded('gave up after %d sessions: %s' % (self.MAX_SESSIONS, ended))
                self.out('SESSION ENDED %s; resending %d unresolved' % (ended, len(pending)))
                self.session.close()
                self.connect(getattr(ended, 'address', None))
                unacknowledged.clear()
                for r in pending.values():
                    if r['requestId'] in self.later:
                        continue                  # refused before acceptance: resent when its retryAfterMs is over
                    self.session.send(encode_submit(self.resend(r)))
                    self.out('RESENT %s attempt=%d possibleDuplicate=TRUE' % (r['requestId'], r['attempt']))
                    unacknowledged[r['requestId']] = time.monotonic()
        return finals

    def collect(self, pending, unacknowledged, finals):
        while pending:
            now = time.monotonic()
            for request_id, due in list(self.later.items()):
                if now >= due and request_id in pending:
                    del self.later[request_id]
                    request = pending[request_id]
                    request.update(attempt=request['attempt'] + 1)
                    self.session.send(encode_submit(request))
                    self.out('RETRIED %s attempt=%d' % (request_id, request['attempt']))
                    unacknowledged[request_id] = now
            oldest = min(unacknowledged.values(), default=None)
            if oldest is not None and now - oldest > self.ATTEMPT_TIMEOUT_S:
                raise SessionEnded('attempt timeout: no word on a request for %.0f ms' % (self.ATTEMPT_TIMEOUT_S * 1000))
            template_id, fields = self.session.next_message(timeout=0.1 if unacknowledged or self.later else 30)
            if template_id is None:
                if not unacknowledged and not self.later:
                    raise SessionEnded('no final answer within 30 s for %d requests' % len(pending))
                continue
            if template_id == REDIRECT:
                raise self.moved('Redirect', fields)      # the whole session moves, not one request (§9)
            if template_id == CLUSTER_VIEW:
                self.view = fields['nodes']
                continue
            request = pending.get(fields.get('requestId'))
            if request is None:
                self.out('LATE %s dropped' % fields.get('requestId'))   # README §5: an answer for a resolved id
                continue
            unacknowledged.pop(request['requestId'], None)
            if template_id == ACCEPTED:
                self.out('ACCEPTED %s alreadyKnown=%s durability=%s' % (
                    request['requestId'], 'TRUE' if fields['alreadyKnown'] else 'FALSE',
                    self.session.name('Durability', fields['durability'])))
                continue
            if template_id == REJECTED and self.session.name('ErrorCode', fields['code']) in ('RATE_LIMITED', 'OVERLOADED'):
                # Refused before acceptance: not journaled, so the resend is not a possible duplicate (§5); our own
                # jitter on top of the relay's spread retryAfterMs. Waited for while reading and sending Heartbeats: a
                # connector that sleeps instead goes silent, and the relay closes it after 3 intervals (§3).
                self.later[request['requestId']] = time.monotonic() + (
                    (fields['retryAfterMs'] or 0) + secrets.randbelow(50)) / 1000.0
                self.out('%s %s: resending after %d ms' % (self.session.name('ErrorCode', fields['code']),
                                                           request['requestId'], fields['retryAfterMs'] or 0))
                continue
            if template_id == REJECTED and self.session.name('ErrorCode', fields['code']) == 'OUTCOME_UNKNOWN':
                # Not final (README §5): card management may have applied it; the relay pushes the Result when the
                # verdict comes, so the request stays pending (never resubmitted under a new id).
                self.out('OUTCOME_UNKNOWN %s: waiting for the verdict' % request['requestId'])
                continue
            del pending[request['requestId']]
            finals[request['requestId']] = (template_id, fields)
            self.report(request['requestId'], template_id, fields)

    def moved(self, why, fields):
        """A SessionEnded that names where to go: the first ACTIVE node of the message's list other than this one."""
        ended = SessionEnded('%s from node %d' % (why, fields['nodeId']))
        for node_id, state, address in fields.get('nodes', ()):
            if node_id != fields['nodeId'] and state == ACTIVE:
                ended.address = parse_address(address)
                break
        return ended

    def report(self, request_id, template_id, fields, prefix=''):
        name = self.session.name
        if template_id == RESULT:
            self.out('%sRESULT %s %s upstreamCode=%d' % (prefix, request_id, name('OutcomeStatus', fields['status']),
                                                          fields['upstreamCode']))
        elif template_id == REJECTED:
            self.out('%sREJECTED %s %s field=%s position=%s codePoint=%s detail=%s' % (
                prefix, request_id, name('ErrorCode', fields['code']), name('FieldId', fields['field']),
                fields['position'], 'U+%04X' % fields['codePoint'] if fields['codePoint'] is not None else None,
                fields['detail']))
        elif template_id == STATUS_REPLY:
            self.out('%sSTATUS %s %s journalPosition=%d' % (prefix, request_id, name('RequestState', fields['state']),
                                                            fields['journalPosition']))
        else:
            self.out('%sTEMPLATE %d %s' % (prefix, template_id, fields))

    def resend(self, request):
        """README §5: same id, same content, possibleDuplicate TRUE, attempt + 1, a fresh deadline."""
        request.update(possibleDuplicate=True, attempt=request['attempt'] + 1,
                       deadlineEpochMs=int(time.time() * 1000) + 30000)
        return request

    def expect(self, condition, what):
        if not condition:
            self.failures.append(what)
            self.out('FAILED ' + what)


def demo(args):
    connector = Connector(args)
    connector.connect()
    c = connector

    # Pipelined: every Submit is written before the first answer is read.
    card_status = [c.request('CARD_STATUS', cardId='1000000000%02d' % i) for i in range(1, 4)]
    names = [c.request('CERT_CHANGE', personalNumber='123456789018', cardId='100000000001',
                       address='東京都千代田区千代田1番1号', nameKanji=name)
             for name in ('髙橋太郎', '𠮷田花子', '葛\U000E0100西')]
    halfwidth = c.request('CERT_CHANGE', personalNumber='123456789018', cardId='100000000001',
                          address='東京都千代田区千代田1番1号', nameKanji='ｶﾀｶﾅ')
    batch = [c.request('PREISSUE_SETUP', priority=BATCH, batchId=20261204, batchSequence=i, batchSize=2,
                       personalNumber='123456789018', residentCode='12345678901', dateOfBirth='19800101',
                       nameKanji='山﨑花子', nameKana='やまざきはなこ', address='大阪府大阪市北区1番1号',
                       applicationId='1234567890123456789012%d' % i) for i in (1, 2)]
    everything = card_status + names + [halfwidth] + batch
    finals = c.run(everything)
    for r in card_status + names + batch:
        template_id, fields = finals[r['requestId']]
        c.expect(template_id == RESULT and fields['status'] == 1, 'OK for %s %s' % (r['operation'], r['requestId']))
    template_id, fields = finals[halfwidth['requestId']]
    c.expect(template_id == REJECTED and c.session.name('ErrorCode', fields['code']) == 'TEXT_OUTSIDE_REPERTOIRE'
             and fields['position'] == 0 and fields['codePoint'] == 0xFF76,
             'half-width katakana refused at byte 0 with U+FF76, under its own request id')

    # StatusQuery: a finished id gets its stored final answer; an unknown id StatusReply UNKNOWN (§4).
    first = card_status[0]['requestId']
    c.session.send(encode_status_query(first, args.municipality))
    template_id, fields = c.session.next_message(timeout=10)
    c.report(first, template_id, fields, prefix='QUERY ')
    c.expect(template_id == RESULT and fields['requestId'] == first, 'StatusQuery of a finished id gets its Result')
    unknown = new_request_id()
    c.session.send(encode_status_query(unknown, args.municipality))
    template_id, fields = c.session.next_message(timeout=10)
    c.report(unknown, template_id, fields, prefix='QUERY ')
    c.expect(template_id == STATUS_REPLY and fields['state'] == 0 and fields['journalPosition'] == -1,
             'StatusQuery of an unknown id gets StatusReply UNKNOWN, journalPosition -1')

    # Heartbeats: idle for five intervals; both sides keep the session alive.
    idle_s = 5 * c.session.heartbeat_s
    template_id, fields = c.session.next_message(timeout=idle_s)
    c.expect(template_id is None, 'nothing but Heartbeats while idle (got %s)' % template_id)
    c.out('HEARTBEATS sent=%d received=%d' % (c.session.heartbeats_sent, c.session.heartbeats_received))
    c.expect(c.session.heartbeats_sent >= 3 and c.session.heartbeats_received >= 3, 'heartbeats both ways while idle')

    # A lost connection: one Submit written, the connection dropped before any answer is read. The connector
    # notices, opens a new session and resends it with the same id, possibleDuplicate TRUE, attempt 2.
    lost = c.request('CARD_STATUS', cardId='100000000009')
    c.session.send(encode_submit(lost))
    c.session.close()
    c.out('DROPPED connection with %s unanswered' % lost['requestId'])
    finals = c.run([], already_sent=[lost])
    template_id, fields = finals[lost['requestId']]
    c.expect(lost['attempt'] == 2 and lost['possibleDuplicate'], 'the lost request was resent with attempt 2 and the flag')
    c.expect(template_id == RESULT and fields['status'] == 1, 'the lost request answered OK after its resend')

    # A finished request resent (its connector restarted, say) gets its stored answer, not a second application.
    again = c.resend(card_status[1])
    finals = c.run([again])
    template_id, fields = finals[again['requestId']]
    c.out('RESENT %s attempt=%d possibleDuplicate=TRUE' % (again['requestId'], again['attempt']))
    c.expect(template_id == RESULT and fields['status'] == 1, 'the finished request resent gets its stored Result')
    c.session.close()
    c.out('SUMMARY failures=%d' % len(c.failures))
    return 0 if not c.failures else 1


def workload(args):
    """The conformance workload (README §10): --count CARD_STATUS requests of distinct content, one at a time, each
    sent after the previous one's final answer. One RESULT/REJECTED line per request."""
    connector = Connector(args)
    connector.connect()
    for i in range(1, args.count + 1):
        request = connector.request('CARD_STATUS', cardId='%012d' % (200000000000 + i))
        connector.run([request])          # prints the final answer's line
    connector.session.close()
    connector.out('SUMMARY requests=%d' % args.count)
    return 0


def vectors(args):
    """Checks this codec against protocol/spec/vectors/vectors.txt: the connector's messages must encode to
    the published bytes, and the relay's must decode to the published values."""
    entries, entry = [], None
    with open(args.file, encoding='utf-8') as lines:
        for line in lines:
            if line.startswith('## '):
                entry = {'name': line[3:].strip(), 'fields': {}}
                entries.append(entry)
            elif entry is not None and line.startswith('hex: '):
                entry['hex'] = line[5:].strip()
            elif entry is not None and line.startswith('  @'):
                name, value = line[2:].split(None, 1)[1].split(None, 1)[0], line.split('= ', 1)[1].strip()
                entry['fields'][name] = value
    failures = 0
    for e in entries:
        data = bytes.fromhex(e['hex'])
        f = e['fields']
        template_id, fields = decode(data[SOFH_LENGTH:])
        encoded = None
        if template_id == HELLO:
            encoded = encode_hello(unquote(f['municipalityCode']), int(f['heartbeatIntervalMs']),
                                   unquote(f['connectorName']))
        elif template_id == SUBMIT:
            encoded = encode_submit(submit_from_vector(f))
        elif template_id == STATUS_QUERY:
            encoded = encode_status_query(uuid.UUID(f['requestId']), unquote(f['municipalityCode']))
        elif template_id == HEARTBEAT:
            encoded = encode_heartbeat(int(f['timestampEpochMs']))
        if template_id not in (HELLO, WELCOME, SUBMIT, ACCEPTED, RESULT, REJECTED, REDIRECT, GO_AWAY, STATUS_QUERY,
                               STATUS_REPLY, HEARTBEAT, CLUSTER_VIEW):
            print('SKIP %s (not a message this connector uses: upstream, or version 3 batch manifests)' % e['name'])
            continue
        if encoded is not None:
            ok = encoded == data
        else:
            ok = all(check_decoded(name, value, fields) for name, value in f.items())
        failures += 0 if ok else 1
        print('%s %s' % ('OK  ' if ok else 'FAIL', e['name']))
    print('VECTORS entries=%d failures=%d' % (len(entries), failures))
    return 0 if failures == 0 and entries else 1


def unquote(value):
    return value[1:value.rindex('"')] if value.startswith('"') else ''


def number(value):
    return None if value.startswith('null') else int(value.split()[0])


def submit_from_vector(f):
    request = {'requestId': uuid.UUID(f['requestId']), 'municipalityCode': unquote(f['municipalityCode']),
               'operation': f['operation'].split('(')[1].rstrip(')'), 'priority': number(f['priority']),
               'possibleDuplicate': number(f['possibleDuplicate']) == TRUE, 'attempt': number(f['attempt']),
               'deadlineEpochMs': number(f['deadlineEpochMs'])}
    for name, null in (('batchId', NULL_U64), ('batchSequence', NULL_U32), ('batchSize', NULL_U32)):
        request[name] = null if number(f[name]) is None else number(f[name])
    for name in ('personalNumber', 'residentCode', 'dateOfBirth', 'nameKanji', 'nameKana', 'address', 'cardId',
                 'applicationId'):
        request[name] = unquote(f[name])
    request['pinBlock'] = bytes.fromhex(f['pinBlock'][2:]) if f['pinBlock'].startswith('0x') else b''
    return request


def check_decoded(name, value, fields):
    """A published field against this decoder's value (header, SOFH and group lines are not in `fields`)."""
    key = name.split('.')[0]
    if key not in fields or '[' in name or key == 'requestId' and name != 'requestId':
        return True
    mine = fields[key]
    if key == 'requestId':
        return str(mine) == value
    if isinstance(mine, bool):
        return number(value) == (TRUE if mine else FALSE)
    if mine is None:
        return value.startswith('null')
    if isinstance(mine, bytes):
        return (mine.hex() == value[2:]) if value.startswith('0x') else not mine
    if isinstance(mine, str):
        return mine == unquote(value)
    if isinstance(mine, list):
        return True
    return mine == number(value)


def add_session_options(command):
    command.add_argument('--host', required=True)
    command.add_argument('--port', type=int, required=True)
    command.add_argument('--cert', required=True, help='the connector certificate (PEM)')
    command.add_argument('--key', required=True, help='its private key (PEM, PKCS#8)')
    command.add_argument('--ca', required=True, help="the relay's CA certificate (PEM)")
    command.add_argument('--municipality', required=True)
    command.add_argument('--schema', default=SCHEMA_FILE, help='chukei-schema.xml, for the names of codes')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    add_session_options(commands.add_parser('demo', help='run the scenario against a relay node'))
    load = commands.add_parser('workload', help='the conformance workload: CARD_STATUS requests, one at a time')
    add_session_options(load)
    load.add_argument('--count', type=int, default=8, help='how many requests (default 8, one per conformance scenario)')
    check = commands.add_parser('vectors', help='check this codec against the published test vectors')
    check.add_argument('file')
    args = parser.parse_args()
    try:
        return {'demo': demo, 'workload': workload, 'vectors': vectors}[args.command](args)
    except (SessionEnded, OSError, ValueError) as ex:
        print('ERROR %s' % ex, flush=True)
        return 1


if __name__ == '__main__':
    sys.exit(main())
