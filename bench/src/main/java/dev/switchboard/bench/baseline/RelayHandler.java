package dev.switchboard.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelMatchers;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;

/**
 * The relay's per-channel handler for the message subset the load generator uses: {@code join}, {@code game_event},
 * {@code game_state}, {@code webrtc_offer}, {@code webrtc_answer}, {@code ice_candidate}, {@code ping} and
 * {@code leave}. A broadcast is encoded once into one buffer and written to every other member as a
 * retained duplicate by the room's {@link io.netty.channel.group.ChannelGroup}.
 */
public final class RelayHandler extends SimpleChannelInboundHandler<TextWebSocketFrame>
{
    private static final int MAX_MESSAGE_BYTES = 65_536;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>()
    {
        @Override
        protected byte[] initialValue()
        {
            return new byte[MAX_MESSAGE_BYTES];
        }
    };
    private static final FastThreadLocal<RelayEnvelope> ENVELOPE = new FastThreadLocal<>()
    {
        @Override
        protected RelayEnvelope initialValue()
        {
            return new RelayEnvelope();
        }
    };

    private static final byte[] ACK_HEAD = ascii("{\"type\":\"ack\",\"roomId\":\"");
    private static final byte[] ERROR_HEAD = ascii("{\"type\":\"error\",\"roomId\":\"");
    private static final byte[] JOINED_HEAD = ascii("{\"type\":\"joined\",\"roomId\":\"");
    private static final byte[] TYPE_HEAD = ascii("{\"type\":\"");
    private static final byte[] ROOM_ID = ascii("\",\"roomId\":\"");
    private static final byte[] CANDIDATES = ascii("{\"candidates\":[");
    private static final byte[] END_CANDIDATES = ascii("]}}");
    private static final byte[] END_OBJECT = ascii("}");
    private static final byte[] PONG_HEAD = ascii("{\"type\":\"pong\",\"ts\":");
    private static final byte[] TS = ascii("\",\"ts\":");
    private static final byte[] FOR = ascii(",\"for\":\"");
    private static final byte[] MSG_ID = ascii(",\"msgId\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] SENDER_ID = ascii(",\"senderId\":\"");
    private static final byte[] PAYLOAD = ascii("\",\"payload\":");
    private static final byte[] PAYLOAD_TS = ascii(",\"payload\":{\"ts\":");
    private static final byte[] CODE = ascii(",\"payload\":{\"code\":\"");
    private static final byte[] JOINED_USER = ascii(",\"payload\":{\"userId\":\"");
    private static final byte[] JOINED_ROLE = ascii("\",\"role\":\"");
    private static final byte[] JOINED_HOST = ascii("\",\"hostId\":");
    private static final byte[] JOINED_SIZE = ascii(",\"roomSize\":");
    private static final byte[] END_STRING_OBJECT = ascii("\"}");
    private static final byte[] END_STRING_OBJECTS = ascii("\"}}");
    private static final byte[] NULL = ascii("null");
    private static final byte[] END_OBJECTS = ascii("}}");

    private final RelayRooms rooms;
    private RelayRooms.Room room;
    private String userId;

    /**
     * Makes the handler of one channel.
     *
     * @param rooms the relay's rooms.
     */
    public RelayHandler(final RelayRooms rooms)
    {
        this.rooms = rooms;
    }

    /**
     * Handles one text message.
     *
     * @param ctx   the channel's context.
     * @param frame the message.
     */
    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame)
    {
        final ByteBuf content = frame.content();
        final int length = content.readableBytes();
        if (length > MAX_MESSAGE_BYTES)
        {
            return;
        }
        final byte[] scratch = SCRATCH.get();
        content.getBytes(content.readerIndex(), scratch, 0, length);
        final RelayEnvelope envelope = ENVELOPE.get();
        if (!envelope.parse(scratch, 0, length) || null == envelope.type)
        {
            writeError(ctx, envelope, "invalid_message");
            return;
        }
        switch (envelope.type)
        {
            case "game_event":
                onBroadcast(ctx, envelope, scratch, true);
                break;
            case "game_state":
                onBroadcast(ctx, envelope, scratch, false);
                break;
            case "webrtc_offer":
            case "webrtc_answer":
                onDirected(ctx, envelope, scratch, true);
                break;
            case "ice_candidate":
                onDirected(ctx, envelope, scratch, false);
                break;
            case "join":
                onJoin(ctx, envelope);
                break;
            case "ping":
                onPing(ctx, envelope);
                break;
            case "leave":
                onLeave(ctx, envelope);
                break;
            default:
                writeError(ctx, envelope, "unknown_type");
                break;
        }
    }

    /**
     * Takes the channel out of its room when it closes.
     *
     * @param ctx the channel's context.
     * @throws Exception never thrown here; the signature is Netty's.
     */
    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        leaveRoom(ctx.channel());
        super.channelInactive(ctx);
    }

    /**
     * Closes the channel on an unexpected error.
     *
     * @param ctx   the channel's context.
     * @param cause the error.
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    private void onJoin(final ChannelHandlerContext ctx, final RelayEnvelope envelope)
    {
        if (null != room)
        {
            writeError(ctx, envelope, "already_joined");
            return;
        }
        if (null == envelope.roomId || null == envelope.msgId)
        {
            writeError(ctx, envelope, "invalid_message");
            return;
        }
        final RelayRooms.Room joining = rooms.room(envelope.roomId);
        final boolean host = "host".equals(envelope.role);
        final String newUserId = rooms.newUserId();
        if (host && !joining.claimHost(ctx.channel(), newUserId))
        {
            writeError(ctx, envelope, "host_taken");
            return;
        }
        room = joining;
        userId = newUserId;
        joining.members.add(ctx.channel());
        rooms.addUser(newUserId, ctx.channel());
        writeAck(ctx, envelope);
        final ByteBuf out = ctx.alloc().buffer(160 + envelope.roomId.length());
        out.writeBytes(JOINED_HEAD);
        ByteBufUtil.writeAscii(out, envelope.roomId);
        out.writeBytes(TS);
        writeLong(out, System.currentTimeMillis());
        out.writeBytes(JOINED_USER);
        ByteBufUtil.writeAscii(out, userId);
        out.writeBytes(JOINED_ROLE);
        ByteBufUtil.writeAscii(out, host ? "host" : "viewer");
        out.writeBytes(JOINED_HOST);
        final String hostId = joining.hostUserId();
        if (null == hostId)
        {
            out.writeBytes(NULL);
        }
        else
        {
            out.writeByte('"');
            ByteBufUtil.writeAscii(out, hostId);
            out.writeByte('"');
        }
        out.writeBytes(JOINED_SIZE);
        writeLong(out, joining.members.size());
        out.writeBytes(END_OBJECTS);
        ctx.writeAndFlush(new TextWebSocketFrame(out));
    }

    private void onBroadcast(
        final ChannelHandlerContext ctx, final RelayEnvelope envelope, final byte[] scratch, final boolean critical)
    {
        final RelayRooms.Room current = room;
        if (null == current || null == envelope.msgId || !current.id.equals(envelope.roomId))
        {
            writeError(ctx, envelope, null == current ? "not_in_room" : "invalid_message");
            return;
        }
        if (critical)
        {
            writeAck(ctx, envelope);
        }
        final ByteBuf out = relayed(ctx, envelope, scratch, false);
        current.members.writeAndFlush(new TextWebSocketFrame(out), ChannelMatchers.isNot(ctx.channel()), true);
        ctx.flush();
    }

    private void onDirected(
        final ChannelHandlerContext ctx, final RelayEnvelope envelope, final byte[] scratch, final boolean critical)
    {
        final RelayRooms.Room current = room;
        if (null == current || null == envelope.msgId || !current.id.equals(envelope.roomId))
        {
            writeError(ctx, envelope, null == current ? "not_in_room" : "invalid_message");
            return;
        }
        final Channel target = null == envelope.to ? null : rooms.user(envelope.to);
        if (null == target || !current.members.contains(target))
        {
            writeError(ctx, envelope, "peer_not_found");
            return;
        }
        if (critical)
        {
            writeAck(ctx, envelope);
            ctx.flush();
        }
        target.writeAndFlush(new TextWebSocketFrame(relayed(ctx, envelope, scratch, !critical)), target.voidPromise());
    }

    private ByteBuf relayed(
        final ChannelHandlerContext ctx, final RelayEnvelope envelope, final byte[] scratch, final boolean candidates)
    {
        final ByteBuf out = ctx.alloc().buffer(160 + envelope.roomId.length() + envelope.payloadLength);
        out.writeBytes(TYPE_HEAD);
        ByteBufUtil.writeAscii(out, envelope.type);
        out.writeBytes(ROOM_ID);
        ByteBufUtil.writeAscii(out, envelope.roomId);
        out.writeBytes(TS);
        writeLong(out, System.currentTimeMillis());
        out.writeBytes(MSG_ID);
        ByteBufUtil.writeAscii(out, envelope.msgId);
        out.writeBytes(SEQ);
        writeLong(out, envelope.seq);
        out.writeBytes(SENDER_ID);
        ByteBufUtil.writeAscii(out, userId);
        if (envelope.payloadOffset >= 0)
        {
            out.writeBytes(PAYLOAD);
            if (candidates)
            {
                out.writeBytes(CANDIDATES);
            }
            out.writeBytes(scratch, envelope.payloadOffset, envelope.payloadLength);
            out.writeBytes(candidates ? END_CANDIDATES : END_OBJECT);
        }
        else
        {
            out.writeBytes(END_STRING_OBJECT);
        }
        return out;
    }

    private void onPing(final ChannelHandlerContext ctx, final RelayEnvelope envelope)
    {
        final ByteBuf out = ctx.alloc().buffer(64);
        out.writeBytes(PONG_HEAD);
        writeLong(out, System.currentTimeMillis());
        out.writeBytes(PAYLOAD_TS);
        writeLong(out, envelope.ts);
        out.writeBytes(END_OBJECTS);
        ctx.writeAndFlush(new TextWebSocketFrame(out));
    }

    private void onLeave(final ChannelHandlerContext ctx, final RelayEnvelope envelope)
    {
        if (null == room)
        {
            writeError(ctx, envelope, "not_in_room");
            return;
        }
        writeAck(ctx, envelope);
        leaveRoom(ctx.channel());
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }

    private void leaveRoom(final Channel channel)
    {
        final RelayRooms.Room current = room;
        if (null != current)
        {
            room = null;
            rooms.removeUser(userId);
            current.members.remove(channel);
            current.releaseHost(channel);
            rooms.removeIfEmpty(current);
        }
    }

    private void writeAck(final ChannelHandlerContext ctx, final RelayEnvelope envelope)
    {
        final ByteBuf out = ctx.alloc().buffer(128);
        out.writeBytes(ACK_HEAD);
        ByteBufUtil.writeAscii(out, null == envelope.roomId ? "" : envelope.roomId);
        out.writeBytes(TS);
        writeLong(out, System.currentTimeMillis());
        out.writeBytes(FOR);
        ByteBufUtil.writeAscii(out, envelope.msgId);
        out.writeBytes(END_STRING_OBJECT);
        ctx.write(new TextWebSocketFrame(out));
    }

    private void writeError(final ChannelHandlerContext ctx, final RelayEnvelope envelope, final String code)
    {
        final ByteBuf out = ctx.alloc().buffer(160);
        out.writeBytes(ERROR_HEAD);
        ByteBufUtil.writeAscii(out, null == envelope.roomId ? "" : envelope.roomId);
        out.writeBytes(TS);
        writeLong(out, System.currentTimeMillis());
        if (null != envelope.msgId)
        {
            out.writeBytes(FOR);
            ByteBufUtil.writeAscii(out, envelope.msgId);
            out.writeByte('"');
        }
        out.writeBytes(CODE);
        ByteBufUtil.writeAscii(out, code);
        out.writeBytes(END_STRING_OBJECTS);
        ctx.writeAndFlush(new TextWebSocketFrame(out));
    }

    private static void writeLong(final ByteBuf out, final long value)
    {
        ByteBufUtil.writeAscii(out, Long.toString(value));
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
