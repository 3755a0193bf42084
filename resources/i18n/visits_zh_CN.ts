<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DraftsDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="51"/>
        <source>Unsaved visit logs</source>
        <translation>未保存的走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="111"/>
        <source>These visit logs were being written when KeyAcct last stopped and were never saved. Restore one to go on editing it, or discard it.</source>
        <translation>以下走访记录在程序上次意外退出时正在填写,尚未保存。可恢复后继续编辑,也可放弃。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="57"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="58"/>
        <source>Visit time</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="59"/>
        <source>Last autosaved</source>
        <translation>最后自动保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="60"/>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="61"/>
        <source>Left</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="76"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="79"/>
        <source>Discard…</source>
        <translation>放弃…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="82"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="102"/>
        <source>cancelled, kept</source>
        <translation>已取消,已保留</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="102"/>
        <source>interrupted</source>
        <translation>意外中断</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="118"/>
        <source>These visit logs were kept as drafts when their editor was cancelled. Restore one to go on editing it, or discard it.</source>
        <translation>以下走访记录在取消编辑时保留为草稿,尚未保存。可恢复后继续编辑,也可放弃。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="143"/>
        <source>Discard unsaved visit log</source>
        <translation>放弃未保存的走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/drafts.py" line="145"/>
        <source>Discard the unsaved visit log for %1 (last autosaved %2)? It cannot be undone.</source>
        <translation>确定放弃 %1 的未保存走访记录(最后自动保存于 %2)?放弃后无法恢复。</translation>
    </message>
</context>
<context>
    <name>NewReferralDialog</name>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="50"/>
        <source>New referral (phone request)</source>
        <translation>新建转办(来电诉求)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="57"/>
        <source>Demand</source>
        <translation>诉求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="58"/>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="64"/>
        <source>— choose the team —</source>
        <translation>— 请选择承办团队 —</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="69"/>
        <source>What the customer asks, in their words</source>
        <translation>客户的诉求或投诉内容(尽量用客户原话)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="72"/>
        <source>optional</source>
        <translation>可不填</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="82"/>
        <source>&amp;Customer</source>
        <translation>客户(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="83"/>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="84"/>
        <source>Demand &amp;type</source>
        <translation>诉求类别(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="85"/>
        <source>T&amp;eam</source>
        <translation>承办团队(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="86"/>
        <source>&amp;What is asked</source>
        <translation>诉求内容(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="87"/>
        <source>&amp;Owner</source>
        <translation>承办人(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="88"/>
        <source>&amp;Due</source>
        <translation>办理期限(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/referral_dialog.py" line="96"/>
        <source>Refer</source>
        <translation>转办</translation>
    </message>
</context>
<context>
    <name>ReferralsPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="54"/>
        <source>All teams</source>
        <translation>全部团队</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="58"/>
        <source>Not closed</source>
        <translation>未办结</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="59"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="62"/>
        <source>Overdue only</source>
        <translation>仅显示逾期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="64"/>
        <source>Customer name contains…</source>
        <translation>客户名称包含…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="69"/>
        <source>New referral (phone)…</source>
        <translation>新建转办(来电)…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="72"/>
        <source>A demand or complaint the customer phoned in, without a visit</source>
        <translation>客户来电提出、未经走访的诉求或投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="84"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="85"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="86"/>
        <source>Demand</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="87"/>
        <source>Team</source>
        <translation>承办团队</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="88"/>
        <source>Owner</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="89"/>
        <source>Due</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="90"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="91"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="110"/>
        <source>Start / reopen</source>
        <translation>开始处理/重新处理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="111"/>
        <source>Record answer…</source>
        <translation>登记答复…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="112"/>
        <source>Confirmed with customer</source>
        <translation>客户已确认</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="113"/>
        <source>Reject…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="120"/>
        <source>Owner and due date…</source>
        <translation>承办人与期限…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="130"/>
        <source>History</source>
        <translation>办理记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="170"/>
        <source>complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="190"/>
        <source>%1 referral(s), %2 overdue</source>
        <translation>共 %1 条转办,%2 条逾期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="207"/>
        <source>Select a referral to see its history and move it on.</source>
        <translation>选择一条转办,查看办理记录并推进办理。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="229"/>
        <source>The team&apos;s answer:</source>
        <translation>后台团队的答复:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="230"/>
        <source>Why is it rejected?</source>
        <translation>退回原因:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="231"/>
        <source>Customer&apos;s feedback (optional):</source>
        <translation>客户反馈(可不填):</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="233"/>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="270"/>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="277"/>
        <source>Referral</source>
        <translation>转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="270"/>
        <source>Owner:</source>
        <translation>承办人:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/referrals.py" line="278"/>
        <source>Due date (yyyy-MM-dd):</source>
        <translation>办理期限(年-月-日):</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/signature.py" line="112"/>
        <source>Customer signs here</source>
        <translation>请客户在此签名</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="110"/>
        <source>Visit log</source>
        <extracomment>The findings fields, in the order of the form. Milliseconds between autosaves. A faulty demand cell (the table is not framed: its combo boxes and header stay as they are). The demands table&apos;s column of each field a demand&apos;s error can name.</extracomment>
        <translation>走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="123"/>
        <source>e.g. Manager Wang, Li (O&amp;M); separate with 、or ,</source>
        <translation>例如:王经理、运检部 李工(用“、”或“,”分隔)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="127"/>
        <source>Visit</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="129"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="132"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="134"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="135"/>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="136"/>
        <source>Our participants</source>
        <translation>我方人员</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="137"/>
        <source>Customer attendees</source>
        <translation>客户参加人员</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="138"/>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="140"/>
        <source>Findings</source>
        <translation>现场了解情况</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="143"/>
        <source>Supply reliability (outages, voltage sags)</source>
        <translation>供电可靠性(停电、电压暂降)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="144"/>
        <source>Power quality (harmonics, flicker)</source>
        <translation>电能质量(谐波、闪变)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="145"/>
        <source>Equipment condition</source>
        <translation>设备运行状况</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="146"/>
        <source>Safety hazards</source>
        <translation>安全隐患</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="147"/>
        <source>Consumption outlook</source>
        <translation>用电需求展望</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="148"/>
        <source>Advice given</source>
        <translation>我方建议</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="155"/>
        <source>Demands and complaints (each is referred to a team)</source>
        <translation>客户诉求与投诉(逐条转办后台团队)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="160"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="161"/>
        <source>What the customer asks</source>
        <translation>诉求内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="162"/>
        <source>Team</source>
        <translation>承办团队</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="163"/>
        <source>Owner</source>
        <translation>承办人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="164"/>
        <source>Due</source>
        <translation>办理期限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="168"/>
        <source>yyyy-MM-dd; empty: the default time limit</source>
        <translation>格式:年-月-日;留空则按默认办理时限</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="178"/>
        <source>Add demand</source>
        <translation>添加诉求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="181"/>
        <source>Remove demand</source>
        <translation>删除诉求</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="192"/>
        <source>Satisfaction (1–5; 0 = not rated)</source>
        <translation>满意度评价(1–5 分;0 = 未评)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="196"/>
        <source>Supply reliability</source>
        <translation>供电可靠性</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="197"/>
        <source>Billing and business handling</source>
        <translation>电费与业务办理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="198"/>
        <source>Service quality</source>
        <translation>服务质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="202"/>
        <source>not rated</source>
        <translation>未评</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="206"/>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="240"/>
        <source>Comments</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="207"/>
        <source>Complaints</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="214"/>
        <source>Photos and signature</source>
        <translation>照片与客户签名</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="218"/>
        <source>Attach photo or file…</source>
        <translation>添加照片或文件…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="221"/>
        <source>Clear signature</source>
        <translation>清除签名</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="230"/>
        <source>Specialist&apos;s review</source>
        <translation>业务专员评价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="239"/>
        <source>Rating</source>
        <translation>质量评价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="241"/>
        <source>Reviewed</source>
        <translation>评价人</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="277"/>
        <source>Save unfinished</source>
        <translation>暂存(未完成)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="353"/>
        <source>%1 (saved)</source>
        <translation>%1(已保存)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="370"/>
        <source>%1 (new since the last sync)</source>
        <translation>%1(上次同步后新收到)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="395"/>
        <source>(choose)</source>
        <translation>(请选择)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="428"/>
        <source>Attach photo or file</source>
        <translation>添加照片或文件</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="430"/>
        <source>Photos and documents (*.jpg *.jpeg *.png *.pdf)</source>
        <translation>照片和文件 (*.jpg *.jpeg *.png *.pdf)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="506"/>
        <source>Draft saved automatically at %1</source>
        <translation>草稿已于 %1 自动保存</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/visits/editor.py" line="562"/>
        <source>This visit log</source>
        <translation>本次走访记录</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="178"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="253"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="144"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="179"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="253"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="117"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="512"/>
        <source>Visit plan</source>
        <extracomment>A visit whose specialist review arrived with the last sync.</extracomment>
        <translation>走访计划</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="118"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="520"/>
        <source>Visit logs</source>
        <translation>走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="119"/>
        <source>Satisfaction</source>
        <translation>满意度趋势</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="145"/>
        <source>Park</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="146"/>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="162"/>
        <source>Manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="147"/>
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="148"/>
        <source>Every (days)</source>
        <translation>周期(天)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="149"/>
        <source>Last visit</source>
        <translation>上次走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="150"/>
        <source>Due</source>
        <translation>应访日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="151"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="159"/>
        <source>Log a visit to this customer</source>
        <translation>为所选客户写走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="164"/>
        <source>Day plan for park</source>
        <translation>园区日程</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="180"/>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="181"/>
        <source>Reliability</source>
        <translation>供电可靠性</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="182"/>
        <source>Billing</source>
        <translation>电费与业务办理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="183"/>
        <source>Service</source>
        <translation>服务质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="184"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="185"/>
        <source>Review</source>
        <translation>专员评价</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="193"/>
        <source>New visit log</source>
        <translation>新建走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="195"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="197"/>
        <source>Print visit report…</source>
        <translation>打印走访报告…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="199"/>
        <source>Unsaved drafts…</source>
        <translation>未保存的草稿…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="208"/>
        <source>Search customer, purpose or place</source>
        <translation>搜索客户、走访目的或地点</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="223"/>
        <source>Newer</source>
        <extracomment>How many specialist reviews arrived with the last sync (hidden when none).</extracomment>
        <translation>较新</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="225"/>
        <source>Older</source>
        <translation>较早</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="243"/>
        <source>Average satisfaction per month (1–5)</source>
        <translation>月度平均满意度(1–5 分)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="253"/>
        <source>Complaint</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="259"/>
        <source>Customers of</source>
        <translation>客户范围</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="261"/>
        <source>or one customer</source>
        <translation>或单个客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="289"/>
        <source>All managers</source>
        <translation>全部客户经理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="290"/>
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="303"/>
        <source>all grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="325"/>
        <source>%1: %2 overdue, %3 due soon</source>
        <translation>%1:逾期 %2 户,近期应访 %3 户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="331"/>
        <source>Nobody is due for a visit.</source>
        <translation>近期没有应走访的客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="341"/>
        <source>never</source>
        <translation>从未走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="381"/>
        <source>%1–%2 of %3</source>
        <translation>第 %1–%2 条,共 %3 条</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="415"/>
        <source>%1 (new)</source>
        <translation>%1(新)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="426"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="426"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="442"/>
        <source>%1 visit report(s) were reviewed by the business specialist since the last sync (highlighted): open one to read the rating and comments.</source>
        <translation>上次同步后业务专员评价了 %1 份走访报告(已高亮):打开即可查看评价等级和意见。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="498"/>
        <source>Unsaved visit logs</source>
        <translation>未保存的走访记录</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="498"/>
        <source>There are no unsaved visit logs.</source>
        <translation>没有未保存的走访记录。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="245"/>
        <source>Supply reliability</source>
        <translation>供电可靠性</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="246"/>
        <source>Billing and business handling</source>
        <translation>电费与业务办理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="247"/>
        <source>Service quality</source>
        <translation>服务质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="482"/>
        <source>%1 visit(s), %2 with a complaint</source>
        <translation>共 %1 次走访,其中 %2 次有投诉</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="512"/>
        <source>Select a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="520"/>
        <source>Select a visit first.</source>
        <translation>请先选择一条走访记录。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="548"/>
        <source>Preparing the visit report…</source>
        <translation>正在生成走访报告…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="568"/>
        <source>Visit report</source>
        <translation>走访报告</translation>
    </message>
</context>
</TS>
