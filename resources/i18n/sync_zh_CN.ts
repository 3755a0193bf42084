<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="52" />
        <source>Server account</source>
        <extracomment>A sign-in finished: ``True`` signed in, ``False`` refused, failed or cancelled.</extracomment>
        <translation>服务器账号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="59" />
        <source>only used to sign in; never stored</source>
        <translation>仅用于登录,不会保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="61" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="63" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="268" />
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="69" />
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="70" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="71" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="75" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="80" />
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="92" />
        <source>Changed at</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="93" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="148" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="94" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="111" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="148" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="95" />
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="96" />
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="97" />
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="98" />
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="109" />
        <source>Detected</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="110" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="112" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="113" />
        <source>Current value (kept)</source>
        <translation>当前值(已保留)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="114" />
        <source>Overwritten value</source>
        <translation>被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="115" />
        <source>Overwritten by</source>
        <translation>被覆盖方</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="125" />
        <source>Keep current value</source>
        <translation>保留当前值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="127" />
        <source>Restore overwritten value</source>
        <translation>恢复被覆盖的值</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="134" />
        <source>When the same field was changed on two devices, the first change to reach the server is kept and the other is saved here. Nothing is lost: restore the overwritten value or confirm the current one.</source>
        <translation>同一字段在两台设备上都被修改时,先到达服务器的修改生效,另一份保存在这里。任何修改都不会丢失:可以恢复被覆盖的值,或确认保留当前值。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="148" />
        <source>Why the server refused it</source>
        <translation>服务器拒绝的原因</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="155" />
        <source>Mark as read</source>
        <translation>标记为已读</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="161" />
        <source>The server refused these changes, so they are not on the server, and the server's version is shown on this computer. Make the change again if it is still needed (for an issued document: issue a corrected version).</source>
        <translation>服务器拒绝了以下修改:这些修改没有保存到服务器,本机显示的是服务器上的版本。如仍需要,请重新修改(已出具的文书请出具更正版本)。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="175" />
        <source>Changes to upload</source>
        <translation>待上传修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="176" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="401" />
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="177" />
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="390" />
        <source>Refused by the server (%1)</source>
        <translation>被拒绝的修改(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="198" />
        <source>Signed in as %1</source>
        <translation>已登录:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="200" />
        <source>Not signed in: the app works offline.</source>
        <translation>未登录:应用以离线方式工作。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="218" />
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="221" />
        <source>Signing in to %1…</source>
        <translation>正在登录 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="257" />
        <source>Sign-in cancelled.</source>
        <translation>已取消登录。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="270" />
        <source>%n change(s) have not reached the server yet. They stay on this computer and are uploaded after the next sign-in. Sign out?</source>
        <translation>
            <numerusform>还有 %n 条修改尚未上传到服务器。它们会保留在本机,下次登录后上传。确定退出登录吗?</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="292" />
        <source>Not signed in — working offline</source>
        <translation>未登录 — 离线工作</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="293" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="294" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="295" />
        <source>Server not reachable — will retry automatically</source>
        <translation>无法连接服务器 — 将自动重试</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="296" />
        <source>Sync stopped with an error</source>
        <translation>同步因错误停止</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="302" />
        <source>Next attempt in %n second(s)</source>
        <translation>
            <numerusform>%n 秒后再次尝试</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="304" />
        <source>Last successful sync: %1</source>
        <translation>上次成功同步:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="305" />
        <source>Changes to upload: %1</source>
        <translation>待上传修改:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="306" />
        <source>Conflicts to review: %1</source>
        <translation>待处理冲突:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="308" />
        <source>Changes refused by the server: %1</source>
        <translation>被服务器拒绝的修改:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="313" />
        <source>This computer's clock differs from the server's by %1 minutes: correct the date and time, or dates of new records will be wrong.</source>
        <translation>本机时钟与服务器相差 %1 分钟:请校正日期和时间,否则新记录的时间会出错。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="323" />
        <source>Conflicts (%1)</source>
        <translation>冲突(%1)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="344" />
        <source>delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="344" />
        <source>save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/sync.py" line="401" />
        <source>Select a conflict first.</source>
        <translation>请先选择一条冲突。</translation>
    </message>
</context>
<context>
    <name>SyncStatusLabel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="28" />
        <source>Offline — no server configured</source>
        <extracomment>Background colours per phase; conflicts and errors must catch the eye.</extracomment>
        <translation>离线 — 未配置服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="39" />
        <source>Offline — not signed in to a server</source>
        <translation>离线 — 未登录同步服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="41" />
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="45" />
        <source>Offline — retrying in %n s</source>
        <translation>
            <numerusform>离线 — %n 秒后重试</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="47" />
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="50" />
        <source>Sync error: %1</source>
        <translation>同步出错:%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="52" />
        <source>Synced %1</source>
        <translation>已同步 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="54" />
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="56" />
        <source>%n change(s) to upload</source>
        <translation>
            <numerusform>%n 条修改待上传</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="59" />
        <source>%n conflict(s) to review</source>
        <translation>
            <numerusform>%n 个冲突待处理</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="62" />
        <source>%n change(s) refused by the server</source>
        <translation>
            <numerusform>%n 条修改被服务器拒绝</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="67" />
        <source>computer clock is off by %1 min</source>
        <translation>本机时钟偏差 %1 分钟</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/sync/status.py" line="74" />
        <source>Last successful sync: %1</source>
        <translation>上次成功同步:%1</translation>
    </message>
</context>
</TS>