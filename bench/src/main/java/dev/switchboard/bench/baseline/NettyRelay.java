package dev.switchboard.bench.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket relay written the way a competent Netty 4.2 user would write it, to compare Switchboard against:
 * join a room, game_event acked and broadcast to the rest of the room, ping answered with pong, leave.
 */
public final class NettyRelay
{
    /** The usage text. */
    public static final String USAGE = "usage: NettyRelay [--port 8090] [--threads 1] [--bind 127.0.0.1]";

    private final int port;
    private final int threads;
    private final String bindAddress;
    private final RelayRooms rooms = new RelayRooms();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    /**
     * Makes a relay.
     *
     * @param bindAddress the address to listen on.
     * @param port        the port to listen on, 0 for any free port.
     * @param threads     event loop threads serving the sockets.
     */
    public NettyRelay(final String bindAddress, final int port, final int threads)
    {
        this.bindAddress = bindAddress;
        this.port = port;
        this.threads = threads;
    }

    /**
     * Entry point: {@code --port 8090 --threads 1}.
     *
     * @param args command-line flags.
     * @throws InterruptedException if interrupted while serving.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final BaselineFlags flags = BaselineFlags.parseOrExit(args, USAGE, "port", "threads", "bind");
        final int port = flags.intValue("port", 8090);
        final int threads = flags.intValue("threads", 1);
        final String bind = flags.value("bind", "127.0.0.1");
        final NettyRelay relay = new NettyRelay(bind, port, threads);
        final int bound = relay.start();
        System.out.println("netty-relay: listening on ws://" + bind + ":" + bound + "/ws with " + threads +
            " event loop thread(s)");
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "netty-relay-shutdown"));
        relay.serverChannel.closeFuture().sync();
    }

    /**
     * Binds and starts serving.
     *
     * @return the bound port.
     * @throws InterruptedException if interrupted while binding.
     */
    public int start() throws InterruptedException
    {
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        final WebSocketServerProtocolConfig wsConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath("/ws")
            .checkStartsWith(true)
            .maxFramePayloadLength(65_536)
            .allowExtensions(false)
            .build();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final ChannelPipeline pipeline = channel.pipeline();
                    pipeline.addLast(new FlushConsolidationHandler(256, true));
                    pipeline.addLast(new HttpServerCodec());
                    pipeline.addLast(new HttpObjectAggregator(8192));
                    pipeline.addLast(new WebSocketServerProtocolHandler(wsConfig));
                    pipeline.addLast(new NotFoundHandler());
                    pipeline.addLast(new RelayHandler(rooms));
                }
            });
        serverChannel = bootstrap.bind(bindAddress, port).sync().channel();
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    /**
     * Number of rooms open now.
     *
     * @return rooms.
     */
    public int roomCount()
    {
        return rooms.size();
    }

    /**
     * Stops serving and releases the event loops.
     */
    public void close()
    {
        if (null != serverChannel)
        {
            serverChannel.close().syncUninterruptibly();
        }
        if (null != workerGroup)
        {
            workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (null != bossGroup)
        {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Answers 404 to any plain HTTP request that is not a WebSocket upgrade of {@code /ws}.
     */
    static final class NotFoundHandler extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                request.protocolVersion(), HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
