<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>LocalOnlyText</name>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="94" />
        <source>• %n change(s) not yet uploaded to the server</source>
        <translation>
            <numerusform>• %n 项修改尚未上传到服务器</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="97" />
        <source>• %n change(s) refused by the server, needing attention</source>
        <translation>
            <numerusform>• %n 项修改被服务器拒绝、待处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="102" />
        <source>• %n downloaded record(s) not yet applied on this computer</source>
        <translation>
            <numerusform>• %n 条下载的记录尚未在本机应用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="106" />
        <source>• %n sync conflict(s) not yet reviewed</source>
        <translation>
            <numerusform>• %n 个同步冲突尚未处理</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/controller.py" line="193" />
        <source>Sync cancelled; changes not uploaded stay queued</source>
        <extracomment>First retry delay after the server could not be reached; doubled on every further failure.</extracomment>
        <translation>同步已取消,未上传的修改仍保留,下次同步时上传</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="68" />
        <source>Server account</source>
        <extracomment>A sign-in finished: ``True`` signed in, ``False`` refused, failed or cancelled. The user-switch dialog and work, while another user signs in (see offer_switch).</extracomment>
        <translation>服务器账号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="75" />
        <source>only used to sign in; never stored</source>
        <translation>仅用于登录,不会保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="77" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="80" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="417" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="86" />
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="87" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="88" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="92" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="97" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="100" />
        <source>Cancel sync</source>
        <translation>取消同步</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="116" />
        <source>Changed at</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="117" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="173" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="212" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="118" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="135" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="174" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="119" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="175" />
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="120" />
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="121" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="212" />
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="122" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="133" />
        <source>Detected</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="134" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="136" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="137" />
        <source>Current value (kept)</source>
        <translation>当前值(已保留)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="138" />
        <source>Overwritten value</source>
        <translation>被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="139" />
        <source>Overwritten by</source>
        <translation>被覆盖方</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="149" />
        <source>Keep current value</source>
        <translation>保留当前值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="151" />
        <source>Restore overwritten value</source>
        <translation>恢复被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="158" />
        <source>When the same field was changed on two devices, the first change to reach the server is kept and the other is saved here. Nothing is lost: restore the overwritten value or confirm the current one.</source>
        <translation>同一字段在两台设备上都被修改时,先到达服务器的修改生效,另一份保存在这里。任何修改都不会丢失:可以恢复被覆盖的值,或确认保留当前值。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="176" />
        <source>Why the server refused it</source>
        <translation>服务器拒绝的原因</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="177" />
        <source>Your values</source>
        <translation>您填写的内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="188" />
        <source>Resend (with what depends on it)</source>
        <translation>重新发送(连同附属记录)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="190" />
        <source>Discard…</source>
        <translation>放弃…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="196" />
        <source>The server refused these changes. They are kept on this computer with your values until you act: fix the record (for example choose one of your grids in the customer file), then resend it together with everything that depends on it, or discard it.</source>
        <translation>服务器拒绝了以下修改。它们连同您填写的内容保留在本机,直到您处理:先修正记录(例如在客户档案中选择您的网格),再连同所有附属记录重新发送;或者放弃。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="212" />
        <source>Since</source>
        <translation>暂存时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="212" />
        <source>Why it waits</source>
        <translation>等待原因</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="223" />
        <source>Records downloaded from the server that this computer cannot apply yet. Everything else was applied; these are tried again at every sync and applied as soon as what they need has arrived.</source>
        <translation>以下是从服务器下载、本机暂时无法应用的记录。其余记录均已应用;这些记录在每次同步时重试,所需的记录一到就会应用。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="235" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="568" />
        <source>Needs attention (%1)</source>
        <translation>待处理(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="236" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="582" />
        <source>Set aside (%1)</source>
        <translation>暂存(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="378" />
        <source>Switching to %1…</source>
        <translation>正在切换到 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="420" />
        <source>These exist only on this computer:</source>
        <translation>以下内容只存在于这台电脑上:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="423" />
        <source>They stay on this computer and are handled after the next sign-in. Sign out?</source>
        <translation>它们保留在本机,下次登录后再处理。确定退出登录?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="471" />
        <source>Refused changes needing attention: %1</source>
        <translation>被拒绝、待处理的修改:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="475" />
        <source>Downloaded records set aside (retried at every sync): %1</source>
        <translation>暂存未应用的下载记录(每次同步重试):%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="672" />
        <source>This record was deleted on one device while it was edited on another, so it was kept. Delete it now after all?</source>
        <translation>这条记录在一台设备上被删除、同时在另一台设备上被修改,因此保留了下来。现在仍要删除它吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="233" />
        <source>Changes to upload</source>
        <translation>待上传修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="234" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="657" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="670" />
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="257" />
        <source>Signed in as %1</source>
        <translation>已登录:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="259" />
        <source>Not signed in: the app works offline.</source>
        <translation>未登录:应用以离线方式工作。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="278" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="281" />
        <source>Signing in to %1…</source>
        <translation>正在登录 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="324" />
        <source>Sign-in cancelled.</source>
        <translation>已取消登录。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="450" />
        <source>Not signed in — working offline</source>
        <translation>未登录 — 离线工作</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="451" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="452" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="453" />
        <source>Server not reachable — will retry automatically</source>
        <translation>无法连接服务器 — 将自动重试</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="454" />
        <source>Sync stopped with an error</source>
        <translation>同步因错误停止</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="460" />
        <source>Next attempt in %n second(s)</source>
        <translation>
            <numerusform>%n 秒后再次尝试</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="463" />
        <source>Last attempt: %1</source>
        <translation>上次尝试同步:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="464" />
        <source>Last successful sync: %1</source>
        <translation>上次成功同步:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="467" />
        <source>Last error: %1</source>
        <translation>上次错误:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="468" />
        <source>Changes to upload: %1</source>
        <translation>待上传修改:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="469" />
        <source>Conflicts to review: %1</source>
        <translation>待处理冲突:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="483" />
        <source>This computer's clock differs from the server's by %1 minutes: correct the date and time, or dates of new records will be wrong.</source>
        <translation>本机时钟与服务器相差 %1 分钟:请校正日期和时间,否则新记录的时间会出错。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="494" />
        <source>Conflicts (%1)</source>
        <translation>冲突(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="515" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="587" />
        <source>delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="515" />
        <source>save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="586" />
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="587" />
        <source>edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="593" />
        <source>Needs attention</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="593" />
        <source>Select a refused change first.</source>
        <translation>请先选择一项被拒绝的修改。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="631" />
        <source>Discard %n refused change(s)?</source>
        <translation>
            <numerusform>放弃 %n 项被拒绝的修改?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="634" />
        <source>%n record(s) exist only on this computer and will be deleted for good.</source>
        <translation>
            <numerusform>其中 %n 条记录只存在于本机,将被永久删除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="639" />
        <source>For the other changes the server's version stays.</source>
        <translation>其余修改将保留服务器上的版本。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="642" />
        <source>Discard refused changes</source>
        <translation>放弃被拒绝的修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="657" />
        <source>Select a conflict first.</source>
        <translation>请先选择一条冲突。</translation>
    </message>
</context>
<context>
    <name>SyncStatusLabel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="33" />
        <source>Offline — no server configured</source>
        <extracomment>Background colours per phase; conflicts and errors must catch the eye.</extracomment>
        <translation>离线 — 未配置服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="44" />
        <source>Offline — not signed in to a server</source>
        <translation>离线 — 未登录同步服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="46" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="50" />
        <source>Offline — retrying in %n s</source>
        <translation>
            <numerusform>离线 — %n 秒后重试</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="52" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="55" />
        <source>Sync error: %1</source>
        <translation>同步出错:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="57" />
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="59" />
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="61" />
        <source>%n change(s) to upload</source>
        <translation>
            <numerusform>%n 条修改待上传</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="64" />
        <source>%n conflict(s) to review</source>
        <translation>
            <numerusform>%n 个冲突待处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="67" />
        <source>%n refused change(s) need attention</source>
        <translation>
            <numerusform>%n 项被拒绝的修改待处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="70" />
        <source>%n downloaded record(s) set aside</source>
        <translation>
            <numerusform>%n 条下载记录暂存</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="75" />
        <source>computer clock is off by %1 min</source>
        <translation>本机时钟偏差 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="82" />
        <source>Last successful sync: %1</source>
        <translation>上次成功同步:%1</translation>
    </message>
</context>
</TS>